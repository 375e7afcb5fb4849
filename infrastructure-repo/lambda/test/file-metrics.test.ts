import { createFileMetrics, publishFilesReceived } from '../src/telemetry';

test('FilesReceived is published per dataset with the Dataset dimension only, in the file metrics namespace', () => {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    publishFilesReceived(
      createFileMetrics('glue-etl/dev/files'),
      new Map([
        ['sales', 3],
        ['Returns-EU', 1],
        ['empty', 0],
      ]),
    );
  } finally {
    write.mockRestore();
  }

  const documents = lines
    .join('')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } });
  expect(documents.map(({ _aws, ...fields }) => [_aws.CloudWatchMetrics, fields])).toEqual([
    [
      [
        {
          Namespace: 'glue-etl/dev/files',
          Dimensions: [['Dataset']],
          Metrics: [{ Name: 'FilesReceived', Unit: 'Count' }],
        },
      ],
      { Dataset: 'sales', FilesReceived: 3 },
    ],
    [
      [
        {
          Namespace: 'glue-etl/dev/files',
          Dimensions: [['Dataset']],
          Metrics: [{ Name: 'FilesReceived', Unit: 'Count' }],
        },
      ],
      { Dataset: 'Returns-EU', FilesReceived: 1 },
    ],
  ]);
});
