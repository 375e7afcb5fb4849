/**
 * Prints what a synthesized CDK app would deploy: its pipeline (stages and actions), and per stage the stacks,
 * their target account/region and resource counts. Reads only the cloud assembly on disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

interface Artifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: {
    directoryName?: string;
    displayName?: string;
    templateFile?: string;
    stackName?: string;
  };
  readonly displayName?: string;
}

interface Template {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

interface PipelineStage {
  readonly Name: string;
  readonly Actions: Array<{ Name: string }>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

function describeStack(dir: string, id: string, artifact: Artifact, indent: string): string[] {
  const template = readJson<Template>(
    path.join(dir, artifact.properties?.templateFile ?? `${id}.template.json`),
  );
  const resources = Object.values(template.Resources ?? {});
  const byType = new Map<string, number>();
  for (const r of resources) byType.set(r.Type, (byType.get(r.Type) ?? 0) + 1);
  const top = [...byType.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 6)
    .map(([type, n]) => `${type.replace(/^AWS::/, '')} ${n}`)
    .join(', ');
  const lines = [
    `${indent}stack ${artifact.properties?.stackName ?? id}  (${artifact.environment?.replace('aws://', '')}): ${resources.length} resources`,
    `${indent}  ${top}`,
  ];
  for (const r of resources.filter((x) => x.Type === 'AWS::CodePipeline::Pipeline')) {
    const stages = (r.Properties?.Stages ?? []) as PipelineStage[];
    const actions = stages.reduce((n, s) => n + s.Actions.length, 0);
    lines.push(
      `${indent}  pipeline ${String(r.Properties?.Name)}: ${stages.length} stages, ${actions} actions`,
    );
    for (const s of stages) lines.push(`${indent}    ${s.Name}: ${s.Actions.map((a) => a.Name).join(', ')}`);
  }
  return lines;
}

function describeAssembly(dir: string, indent = ''): string[] {
  const manifest = readJson<{ artifacts: Record<string, Artifact> }>(path.join(dir, 'manifest.json'));
  const lines: string[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts)) {
    if (artifact.type === 'aws:cloudformation:stack') lines.push(...describeStack(dir, id, artifact, indent));
    if (artifact.type === 'cdk:cloud-assembly') {
      lines.push(`${indent}stage ${artifact.properties?.displayName ?? id}`);
      lines.push(
        ...describeAssembly(path.join(dir, artifact.properties?.directoryName ?? id), `${indent}  `),
      );
    }
  }
  return lines;
}

for (const dir of process.argv.slice(2)) {
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    console.error(
      `summarize-assembly: ${dir} is not a cloud assembly (no manifest.json); synthesize the app first`,
    );
    process.exit(1);
  }
  console.log(`\n== ${dir}`);
  console.log(describeAssembly(dir).join('\n'));
}
