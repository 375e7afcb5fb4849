import {
  assetPublishingRoleName,
  exportCheckRoleName,
  glueRunFailureRuleName,
  NameContext,
  PIPELINE_STEPS,
  pipelineRoleName,
  pipelineStepRoleName,
  stagePermissionsBoundaryName,
} from '../src';

/** The longest names the config accepts: a 16-character project, a 12-character stage, the longest region. */
const longest: NameContext = {
  project: 'p'.repeat(16),
  stage: 's'.repeat(12),
  account: '222222222222',
  region: 'ap-southeast-2',
};

test('the role names trust policies refer to fit IAM (64 characters) for the longest project and stage', () => {
  const steps = [...Object.values(PIPELINE_STEPS), 'change-set-summary'];
  const names = [
    exportCheckRoleName(longest),
    ...steps.map((step) => pipelineStepRoleName(longest.project, 'application', step, longest.stage)),
    pipelineStepRoleName(longest.project, 'infrastructure', 'change-set-summary', longest.stage),
    pipelineRoleName(longest.project, 'infrastructure'),
    assetPublishingRoleName(longest.project, 'infrastructure'),
  ];
  expect(names.filter((name) => name.length > 64)).toEqual([]);
});

test('the failure rule (64) and the boundary policy (128) names fit their limits', () => {
  expect(glueRunFailureRuleName(longest).length).toBeLessThanOrEqual(64);
  expect(stagePermissionsBoundaryName(longest.project, longest.region).length).toBeLessThanOrEqual(128);
});

test('step role names differ per stage, app and step, so no stage role can trust another stage step', () => {
  const names = new Set(
    ['dev', 'prod'].flatMap((stage) =>
      Object.values(PIPELINE_STEPS).map((step) =>
        pipelineStepRoleName('glue-etl', 'application', step, stage),
      ),
    ),
  );
  expect(names.size).toBe(4);
});
