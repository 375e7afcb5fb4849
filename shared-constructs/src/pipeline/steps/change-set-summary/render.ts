import {
  callouts,
  CHANGE_KINDS,
  ChangeKind,
  countByKind,
  PropertyChange,
  ResourceChange,
  StackChangeSummary,
} from './summarize';

/** What the summary is about, beyond the change sets themselves. */
export interface SummaryContext {
  readonly stageName: string;
  readonly commitId: string;
  readonly commitMessage: string;
  readonly executionId: string;
}

/** Property values are shown up to this length; policies can be long, the log and the page stay readable. */
export const MAX_VALUE_CHARS = 2000;

const clip = (value: string): string =>
  value.length <= MAX_VALUE_CHARS
    ? value
    : `${value.slice(0, MAX_VALUE_CHARS)}... (${value.length} characters)`;

const countsLine = (summary: StackChangeSummary): string => {
  const counts = countByKind(summary);
  return CHANGE_KINDS.map((kind) => `${counts[kind]} ${kind}`).join(', ');
};

function detailOf(change: ResourceChange): string {
  const notes: string[] = [];
  if (change.action === 'Import') notes.push('imported');
  if (change.replacement === 'Conditional') notes.push('may be replaced');
  if (change.policyAction && change.kind !== 'added') notes.push(`old resource: ${change.policyAction}`);
  if (change.callout) notes.push(`**${change.callout}**`);
  return notes.join('; ');
}

const propertyNames = (properties: readonly PropertyChange[]): string =>
  properties.map((p) => p.name).join(', ');

const firstLine = (text: string): string => text.split('\n')[0]?.trim() ?? '';

/** The summary as Markdown: printed in the step's log, and the text the HTML page shows. */
export function renderMarkdown(context: SummaryContext, summaries: readonly StackChangeSummary[]): string {
  const lines: string[] = [
    `# Changes to ${context.stageName}`,
    '',
    `Commit \`${context.commitId}\`: ${firstLine(context.commitMessage)}`,
    `Pipeline execution \`${context.executionId}\``,
    '',
  ];
  const flagged = callouts(summaries);
  lines.push(`## Security-relevant changes (${flagged.length})`, '');
  if (flagged.length === 0) lines.push('None: no IAM, key-policy or security-group change.', '');
  for (const { stack, change } of flagged) {
    lines.push(
      `- **${change.callout}**: ${change.kind} \`${change.logicalId}\` (${change.type}) in ${stack}` +
        (change.properties.length > 0 ? `; changes ${propertyNames(change.properties)}` : ''),
    );
    for (const property of change.properties.filter((p) => p.before !== undefined || p.after !== undefined)) {
      lines.push(`  - ${property.name} before: \`${clip(property.before ?? '(none)')}\``);
      lines.push(`  - ${property.name} after: \`${clip(property.after ?? '(none)')}\``);
    }
  }
  if (flagged.length > 0) lines.push('');
  for (const summary of summaries) {
    lines.push(`## ${summary.stackName} (${summary.account}, ${summary.region})`, '');
    if (!summary.hasChanges) {
      lines.push('No changes: executing this change set does nothing.', '');
      continue;
    }
    lines.push(countsLine(summary), '');
    lines.push('| change | logical id | type | properties | notes |', '|---|---|---|---|---|');
    for (const kind of CHANGE_KINDS) {
      for (const change of summary.changes.filter((c) => c.kind === kind)) {
        lines.push(
          `| ${kind} | ${change.logicalId} | ${change.type} | ${propertyNames(change.properties)} | ${detailOf(change)} |`,
        );
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const KIND_COLOURS: Record<ChangeKind, string> = {
  added: '#e6ffed',
  modified: '#fff8c5',
  replaced: '#ffe5b4',
  removed: '#ffebe9',
};

function htmlValue(label: string, value: string | undefined): string {
  return `<div><b>${escapeHtml(label)}</b><pre>${escapeHtml(clip(value ?? '(none)'))}</pre></div>`;
}

/** The page the approval's review link opens: self-contained HTML, no scripts, no external resources. */
export function renderHtml(context: SummaryContext, summaries: readonly StackChangeSummary[]): string {
  const flagged = callouts(summaries);
  const parts: string[] = [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<title>Changes to ${escapeHtml(context.stageName)} at ${escapeHtml(context.commitId.slice(0, 12))}</title>`,
    '<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;' +
      'padding:4px 8px;text-align:left}pre{white-space:pre-wrap;max-width:100em}.callout{font-weight:bold;color:#a40e26}</style>',
    '</head><body>',
    `<h1>Changes to ${escapeHtml(context.stageName)}</h1>`,
    `<p>Commit <code>${escapeHtml(context.commitId)}</code>: ${escapeHtml(firstLine(context.commitMessage))}<br>`,
    `Pipeline execution <code>${escapeHtml(context.executionId)}</code></p>`,
    `<h2>Security-relevant changes (${flagged.length})</h2>`,
  ];
  if (flagged.length === 0) parts.push('<p>None: no IAM, key-policy or security-group change.</p>');
  else parts.push('<ul>');
  for (const { stack, change } of flagged) {
    parts.push(
      `<li><span class="callout">${escapeHtml(change.callout ?? '')}</span>: ${change.kind} ` +
        `<code>${escapeHtml(change.logicalId)}</code> (${escapeHtml(change.type)}) in ${escapeHtml(stack)}` +
        (change.properties.length > 0 ? `; changes ${escapeHtml(propertyNames(change.properties))}` : ''),
    );
    for (const property of change.properties.filter((p) => p.before !== undefined || p.after !== undefined)) {
      parts.push(
        `<details><summary>${escapeHtml(property.name)}</summary>` +
          htmlValue('before', property.before) +
          htmlValue('after', property.after) +
          '</details>',
      );
    }
    parts.push('</li>');
  }
  if (flagged.length > 0) parts.push('</ul>');
  for (const summary of summaries) {
    parts.push(
      `<h2>${escapeHtml(summary.stackName)} (${escapeHtml(summary.account)}, ${escapeHtml(summary.region)})</h2>`,
    );
    if (!summary.hasChanges) {
      parts.push('<p>No changes: executing this change set does nothing.</p>');
      continue;
    }
    parts.push(`<p>${escapeHtml(countsLine(summary))}</p>`);
    parts.push(
      '<table><tr><th>change</th><th>logical id</th><th>type</th><th>properties</th><th>notes</th></tr>',
    );
    for (const kind of CHANGE_KINDS) {
      for (const change of summary.changes.filter((c) => c.kind === kind)) {
        parts.push(
          `<tr style="background:${KIND_COLOURS[kind]}"><td>${kind}</td><td>${escapeHtml(change.logicalId)}</td>` +
            `<td>${escapeHtml(change.type)}</td><td>${escapeHtml(propertyNames(change.properties))}</td>` +
            `<td>${escapeHtml(detailOf(change).replace(/\*\*/g, ''))}</td></tr>`,
        );
      }
    }
    parts.push('</table>');
  }
  parts.push('</body></html>');
  return parts.join('\n');
}
