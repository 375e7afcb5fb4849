// What the pipeline construct needs; the script's own modules (summarize, render, run) are bundled, not exported.
export * from './change-set-summary-step';
export * from './summary-bucket';
export * from './step-env';
