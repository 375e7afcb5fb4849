import {
  ConcurrentRunsExceededException,
  EntityNotFoundException,
  GetJobRunsCommand,
  InternalServiceException,
  StartJobRunCommand,
  ThrottlingException,
  type JobRun,
} from '@aws-sdk/client-glue';
import { PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityBatchCommand } from '@aws-sdk/client-sqs';
import {
  manifestSchema,
  parseLedgerItem,
  type ManifestObject,
} from '@glue-platform/shared-constructs/contracts';

import { objectIdentity } from '../src/batch-plan';
import { processBatch } from '../src/process-batch';
import { emptyCounts, METRIC_NAMES, type MetricCounts } from '../src/telemetry';

import { glueMock, ledgerMock, s3Mock, sqsMock, wireLedger } from './support/aws-mocks';
import {
  ASSETS_BUCKET,
  captureLogs,
  INPUT_BUCKET,
  notification,
  testDeps,
  type ObjectSpec,
} from './support/events';
import { FakeLedger } from './support/ledger-fake';
import { SkippingClock } from './support/skipping-clock';
import { seededRandom, SimQueue } from './support/sqs-simulator';

/**
 * Thousands of uploads through the trigger over many invocations, with random batch composition, random S3,
 * Glue, SQS and DynamoDB failures, calls that hang until the function's timeout, StartJobRun calls that start a
 * run and then lose their answer (an error, or a hang past the deadline), ledger transactions that commit and
 * then lose their answer, duplicate S3 notifications in one batch and across batches, hand-made multi-record
 * messages, invalid messages and invocations short of time. The file ledger is an in-memory table with
 * conditional writes (support/ledger-fake.ts) and Glue answers GetJobRuns from the runs it started. Each
 * invocation runs against the real clock with a budget of milliseconds (the time limits shrunk to match); one that
 * has not returned by then is killed as Lambda would kill it, and the event source deletes none of its messages.
 * Only the waits with nothing else to do, for the timer that abandons a hung call, are skipped
 * (support/skipping-clock.ts): the time the code really runs still counts against the budget.
 * The claims: no invocation is killed, every object is in exactly one started run or its message is in the DLQ,
 * and no object version is ever in two started runs.
 */

const SEED = 20261123;
const OBJECTS = 3000;
const DATASETS = ['sales', 'stock', 'Returns-EU', 'web.events', 'crm', 'hr'];
const MAX_RECEIVE_COUNT = 5;
/** Caps small enough that both bind: ten objects of a thousand-odd bytes each pass the byte cap. */
const MAX_OBJECTS = 10;
const MAX_BYTES = 12_000;
/** Every fiftieth upload is larger than the byte cap on its own. */
const HUGE_SIZE = 40_000;
/** Real milliseconds an invocation may take, and the limits of DEFAULT_TIME_LIMITS scaled down to fit. */
const INVOCATION_BUDGET_MS = 600;
const SHORT_INVOCATION_MS = 250;
const TIME_LIMITS = { minRemainingToStartChunkMs: 300, minRemainingToStartRunMs: 200, returnReserveMs: 150 };

interface Universe {
  /** Every object that was uploaded, by identity. */
  readonly objects: Map<string, ManifestObject>;
  /** Which messages carry each object. */
  readonly carriers: Map<string, string[]>;
  /** Messages that can never succeed (invalid body, several datasets). */
  readonly hopeless: Set<string>;
  /** Objects of hopeless messages: they may only be in the DLQ. */
  readonly hopelessObjects: Set<string>;
}

interface Outcome {
  readonly universe: Universe;
  readonly runs: { jobRunId: string; invocation: number; identities: string[] }[];
  /** Invocations that acknowledged each message. */
  readonly acknowledged: Map<string, number[]>;
  readonly deadLetters: Set<string>;
  readonly invocations: number;
  readonly killedInvocations: number;
  readonly hungCalls: number;
  readonly queueLeft: number;
  readonly ledger: FakeLedger;
  /** StartJobRun calls that started a run and lost its answer. */
  readonly lostStarts: number;
  /** The trigger's metric counts summed over every invocation. */
  readonly totals: MetricCounts;
}

const simulate = async (seed: number): Promise<Outcome> => {
  const random = seededRandom(seed);
  const chance = (p: number): boolean => random() < p;
  const queue = new SimQueue({ visibilityTimeoutSeconds: 180, maxReceiveCount: MAX_RECEIVE_COUNT }, random);
  const universe: Universe = {
    objects: new Map(),
    carriers: new Map(),
    hopeless: new Set(),
    hopelessObjects: new Set(),
  };

  const specFor = (index: number): ObjectSpec => ({
    key: `incoming/${DATASETS[index % DATASETS.length]}/2026/file ${index} +été.csv`,
    versionId: index % 10 === 0 ? undefined : `v${index}`,
    eTag: `${index}`.padStart(32, '0'),
    size: index % 50 === 7 ? HUGE_SIZE : index,
  });
  const toObject = (spec: ObjectSpec): ManifestObject => ({
    bucket: INPUT_BUCKET,
    key: spec.key,
    versionId: spec.versionId ?? null,
    eTag: spec.eTag ?? '',
    size: spec.size ?? 0,
    eventTime: '2026-11-23T10:15:30.000Z',
  });
  const sendObjects = (specs: ObjectSpec[], hopeless = false): void => {
    const messageId = queue.send(JSON.stringify(notification(...specs)));
    if (hopeless) universe.hopeless.add(messageId);
    for (const spec of specs) {
      const object = toObject(spec);
      const identity = objectIdentity(object);
      universe.objects.set(identity, object);
      universe.carriers.set(identity, [...(universe.carriers.get(identity) ?? []), messageId]);
      if (hopeless) universe.hopelessObjects.add(identity);
    }
  };

  // Uploads arrive over time, interleaved with invocations.
  const pending: (() => void)[] = [];
  const lateDuplicates: (() => void)[] = [];
  const used = new Set<number>();
  for (let index = 0; index < OBJECTS; index += 1) {
    if (used.has(index)) continue;
    if (chance(0.1)) {
      // A hand-made message with several objects of one dataset (same index modulo the dataset count).
      const indexes = [0, 1, 2, 3]
        .slice(0, 2 + Math.floor(random() * 3))
        .map((step) => index + step * DATASETS.length)
        .filter((candidate) => candidate < OBJECTS && !used.has(candidate));
      indexes.forEach((candidate) => used.add(candidate));
      pending.push(() => sendObjects(indexes.map(specFor)));
      continue;
    }
    const spec = specFor(index);
    pending.push(() => sendObjects([spec]));
    // S3 delivers at least once: sometimes a second notification of the same version, soon (often in the same
    // batch) or long after the first (in another batch, once the first has started its run or is retrying).
    if (chance(0.05)) pending.push(() => sendObjects([spec]));
    if (chance(0.05)) lateDuplicates.push(() => sendObjects([spec]));
  }
  for (let index = 0; index < 40; index += 1) {
    pending.push(() => universe.hopeless.add(queue.send(chance(0.5) ? 'not json' : '{"Records":[{}]}')));
  }
  for (let index = 0; index < 10; index += 1) {
    pending.push(() =>
      sendObjects(
        [{ key: `incoming/sales/mixed-${index}.csv` }, { key: `incoming/stock/mixed-${index}.csv` }],
        true,
      ),
    );
  }
  for (let index = 0; index < 5; index += 1) {
    pending.push(() => queue.send('{"Service":"Amazon S3","Event":"s3:TestEvent"}'));
  }
  for (let index = pending.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [pending[index], pending[other]] = [pending[other], pending[index]];
  }
  pending.push(...lateDuplicates);

  // The world the function talks to, with faults.
  const store = new Map<string, string>();
  const runs: Outcome['runs'] = [];
  let invocation = 0;
  let runNumber = 0;
  const glueFailures = [
    () => new ConcurrentRunsExceededException({ message: 'max concurrent runs', $metadata: {} }),
    () => new ThrottlingException({ message: 'rate exceeded', $metadata: {} }),
    () => new EntityNotFoundException({ message: 'job not found', $metadata: {} }),
    () => new InternalServiceException({ message: 'internal', $metadata: {} }),
  ];
  s3Mock.reset();
  glueMock.reset();
  sqsMock.reset();
  const ledger = new FakeLedger();
  let lostStarts = 0;
  let hungCalls = 0;
  const hang = (): Promise<never> => {
    hungCalls += 1;
    return new Promise<never>(() => undefined);
  };
  s3Mock.on(PutObjectCommand).callsFake((input: { Key: string; Body: string }) => {
    if (chance(0.01)) return hang();
    if (chance(0.06)) throw new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: {} });
    store.set(input.Key, input.Body);
    return {};
  });
  const simNow = () => new Date(Date.UTC(2026, 10, 23) + queue.clock * 1000);
  const jobRuns: JobRun[] = [];
  glueMock.on(StartJobRunCommand).callsFake((input: { Arguments: Record<string, string> }) => {
    if (chance(0.01)) return hang();
    if (chance(0.15)) throw glueFailures[Math.floor(random() * glueFailures.length)]();
    const uri = input.Arguments['--manifest'] ?? '';
    const body = store.get(uri.replace(`s3://${ASSETS_BUCKET}/`, ''));
    if (!body) throw new Error(`run started on a manifest that was never written: ${uri}`);
    const manifest = manifestSchema.parse(JSON.parse(body));
    const jobRunId = `jr_${(runNumber += 1)}`;
    runs.push({ jobRunId, invocation, identities: manifest.objects.map(objectIdentity) });
    jobRuns.unshift({ Id: jobRunId, Arguments: input.Arguments, StartedOn: simNow() });
    // The run exists, but its answer is lost: an error after the fact, or no answer before the deadline.
    if (chance(0.02)) {
      lostStarts += 1;
      if (chance(0.5)) return hang();
      throw new InternalServiceException({
        message: 'connection reset after the run started',
        $metadata: {},
      });
    }
    return { JobRunId: jobRunId };
  });
  glueMock.on(GetJobRunsCommand).callsFake((input: { MaxResults?: number; NextToken?: string }) => {
    if (chance(0.05)) throw new InternalServiceException({ message: 'internal', $metadata: {} });
    const start = Number(input.NextToken ?? 0);
    const end = start + (input.MaxResults ?? 100);
    return { JobRuns: jobRuns.slice(start, end), NextToken: end < jobRuns.length ? String(end) : undefined };
  });
  ledgerMock.reset();
  wireLedger(ledger);
  ledger.fault = () => {
    if (chance(0.003)) return 'hang';
    if (chance(0.02)) return new Error('ProvisionedThroughputExceededException');
    return undefined;
  };
  ledger.afterCommit = () => (chance(0.01) ? new Error('socket hang up after the commit') : undefined);
  sqsMock
    .on(ChangeMessageVisibilityBatchCommand)
    .callsFake((input: { Entries: { Id: string; ReceiptHandle: string; VisibilityTimeout: number }[] }) => {
      if (chance(0.05)) throw new Error('sqs unavailable');
      const failed = input.Entries.filter(
        (entry) => !queue.changeVisibility(entry.ReceiptHandle, entry.VisibilityTimeout),
      );
      return {
        Successful: [],
        Failed: failed.map((entry) => ({ Id: entry.Id, Code: 'ReceiptHandleIsInvalid', SenderFault: true })),
      };
    });

  // The event source: poll, invoke, delete what was not reported.
  const acknowledged = new Map<string, number[]>();
  const totals = emptyCounts();
  let manifestNumber = 0;
  let invocationEnd = 0;
  let killedInvocations = 0;
  const clock = new SkippingClock();
  const deps = testDeps({
    config: {
      ...testDeps().config,
      assetsBucketName: ASSETS_BUCKET,
      glueJobName: 'job',
      maxObjectsPerManifest: MAX_OBJECTS,
      maxBytesPerManifest: MAX_BYTES,
    },
    now: simNow,
    newManifestId: () => `m${(manifestNumber += 1)}`,
    remainingTimeMs: () => invocationEnd - clock.now(),
    timeLimits: TIME_LIMITS,
    random,
  });
  while (pending.length > 0 || queue.size > 0) {
    const arrivals = Math.floor(random() * 120);
    for (let index = 0; index < arrivals && pending.length > 0; index += 1) pending.shift()!();
    const batch = queue.receive(1 + Math.floor(random() * 300));
    if (batch.length > 0) {
      invocation += 1;
      invocationEnd = clock.now() + (chance(0.03) ? SHORT_INVOCATION_MS : INVOCATION_BUDGET_MS);
      const result = await clock.run(() => processBatch(batch, deps));
      for (const name of METRIC_NAMES) totals[name] += result.counts[name];
      // Past the budget Lambda would have killed it: no response, and every message comes back.
      const killed = clock.now() > invocationEnd;
      if (killed) killedInvocations += 1;
      const failed = new Set(result.response.batchItemFailures.map((failure) => failure.itemIdentifier));
      for (const record of killed ? [] : batch) {
        if (failed.has(record.messageId)) continue;
        queue.delete(record.messageId);
        acknowledged.set(record.messageId, [...(acknowledged.get(record.messageId) ?? []), invocation]);
      }
    }
    const next = queue.nextVisibleAt();
    queue.clock =
      pending.length > 0 || next === undefined ? queue.clock + 5 : Math.max(queue.clock + 5, next);
  }
  return {
    universe,
    runs,
    acknowledged,
    deadLetters: new Set(queue.deadLetters.map((message) => message.messageId)),
    invocations: invocation,
    killedInvocations,
    hungCalls,
    queueLeft: queue.size,
    ledger,
    lostStarts,
    totals,
  };
};

describe('fault injection (seeded)', () => {
  let outcome: Outcome;

  beforeAll(async () => {
    captureLogs();
    outcome = await simulate(SEED);
  }, 120_000);

  afterAll(() => {
    jest.restoreAllMocks();
  });

  const runsOf = (identity: string) => outcome.runs.filter((run) => run.identities.includes(identity));
  const bytesOf = (identities: readonly string[]) =>
    identities.reduce((total, identity) => total + (outcome.universe.objects.get(identity)?.size ?? 0), 0);
  const inDlq = (identity: string) =>
    (outcome.universe.carriers.get(identity) ?? []).some((messageId) => outcome.deadLetters.has(messageId));

  test('the simulation exercised runs, retries and the DLQ', () => {
    expect(outcome.universe.objects.size).toBeGreaterThan(OBJECTS * 0.9);
    expect(outcome.runs.length).toBeGreaterThan(50);
    expect(outcome.deadLetters.size).toBeGreaterThan(outcome.universe.hopeless.size);
    expect(outcome.queueLeft).toBe(0);
  });

  test('the byte cap split chunks and a single object over it still started a run of its own', () => {
    const huge = [...outcome.universe.objects].filter(([, object]) => object.size > MAX_BYTES);
    const aloneInARun = huge.filter(([identity]) =>
      outcome.runs.some((run) => run.identities.length === 1 && run.identities[0] === identity),
    );
    // A message carries at most four objects, so a chunk closed by the object cap holds at least seven; one with
    // fewer that is followed by another chunk of its dataset in the same invocation was closed by the byte cap.
    const datasetOf = (run: Outcome['runs'][number]) =>
      outcome.universe.objects.get(run.identities[0] ?? '')?.key.split('/')[1];
    const splitByBytes = outcome.runs.filter(
      (run, index) =>
        run.identities.length <= MAX_OBJECTS - 4 &&
        outcome.runs
          .slice(index + 1)
          .some((later) => later.invocation === run.invocation && datasetOf(later) === datasetOf(run)),
    );

    expect(huge.length).toBeGreaterThan(10);
    expect(aloneInARun.length).toBeGreaterThan(10);
    expect(splitByBytes.length).toBeGreaterThan(10);
  });

  test('no run exceeds either cap unless all its objects came in one message', () => {
    const overCap = outcome.runs.filter(
      (run) => run.identities.length > MAX_OBJECTS || bytesOf(run.identities) > MAX_BYTES,
    );
    const unexplained = overCap.filter((run) => {
      const [first, ...rest] = run.identities.map(
        (identity) => new Set(outcome.universe.carriers.get(identity) ?? []),
      );
      return ![...(first ?? [])].some((messageId) => rest.every((carriers) => carriers.has(messageId)));
    });

    expect(overCap.length).toBeGreaterThan(0);
    expect(unexplained).toEqual([]);
  });

  test('calls hung until the timeout were abandoned in time: no invocation was killed', () => {
    expect(outcome.hungCalls).toBeGreaterThan(5);
    expect(outcome.killedInvocations).toBe(0);
  });

  test('no object is lost: each is in a started run or its message is in the DLQ', () => {
    const lost = [...outcome.universe.objects.keys()].filter(
      (identity) => runsOf(identity).length === 0 && !inDlq(identity),
    );

    expect(lost).toEqual([]);
  });

  test('every message ends acknowledged once or in the DLQ, never both', () => {
    const both = [...outcome.deadLetters].filter((messageId) => outcome.acknowledged.has(messageId));
    const twice = [...outcome.acknowledged].filter(([, invocations]) => invocations.length > 1);

    expect([both, twice]).toEqual([[], []]);
  });

  test('hopeless messages all end in the DLQ and none of their objects is run', () => {
    const notInDlq = [...outcome.universe.hopeless].filter(
      (messageId) => !outcome.deadLetters.has(messageId),
    );
    const run = [...outcome.universe.hopelessObjects].filter((identity) => runsOf(identity).length > 0);

    expect([notInDlq, run]).toEqual([[], []]);
  });

  test('an object that ran although its message ended in the DLQ is recorded as in its run, so a redrive starts none', () => {
    // A message fails when any of its objects fails; its other objects may have reached a run meanwhile.
    const ranAndDeadLettered = [...outcome.universe.objects]
      .filter(([identity]) => runsOf(identity).length === 1 && inDlq(identity))
      .map(([, object]) =>
        outcome.ledger.get(`${object.bucket}/${object.key}`, object.versionId ?? `etag:${object.eTag}`),
      );
    const notRecordedAsRunning = ranAndDeadLettered.filter(
      (item) => item?.status !== 'started' && item?.status !== 'claimed',
    );

    expect(ranAndDeadLettered.length).toBeGreaterThan(0);
    expect(notRecordedAsRunning).toEqual([]);
  });

  test('no object version is ever in two started runs, duplicates across batches and lost answers included', () => {
    const twice = [...outcome.universe.objects.keys()].filter((identity) => runsOf(identity).length > 1);
    const acknowledgedInTwoInvocations = [...outcome.universe.carriers].filter(([, carriers]) => {
      const invocations = new Set(carriers.flatMap((messageId) => outcome.acknowledged.get(messageId) ?? []));
      return invocations.size > 1;
    });

    expect(twice).toEqual([]);
    // The faults the ledger is there for did happen.
    expect(acknowledgedInTwoInvocations.length).toBeGreaterThan(20);
    expect(outcome.totals.DuplicateDeliveriesAcknowledged).toBeGreaterThan(20);
    expect(outcome.lostStarts).toBeGreaterThan(5);
    expect(outcome.totals.GlueStartsFoundByLookup).toBeGreaterThan(0);
    expect(outcome.totals.LedgerWriteFailures).toBeGreaterThan(0);
  });

  test('every object is in exactly one started run or its message is in the DLQ', () => {
    const wrong = [...outcome.universe.objects.keys()].filter((identity) => {
      const runs = runsOf(identity).length;
      return runs > 1 || (runs === 0 && !inDlq(identity));
    });

    expect(wrong).toEqual([]);
  });

  test('the ledger ends consistent: every item satisfies the contract, and each object of a run names that run', () => {
    const items = [...outcome.ledger.items.values()].map((raw) => parseLedgerItem({ dataset: null, ...raw }));
    const runOf = new Map(
      outcome.runs.flatMap((run) => run.identities.map((identity) => [identity, run.jobRunId])),
    );
    const identityOf = (item: (typeof items)[number]) =>
      objectIdentity({
        bucket: item.bucket,
        key: item.key,
        versionId: item.versionId,
        eTag: item.eTag,
        size: 0,
        eventTime: '',
      });
    const startedWrong = items.filter(
      (item) =>
        runOf.has(identityOf(item)) &&
        item.status === 'started' &&
        item.jobRunId !== runOf.get(identityOf(item)),
    );
    const startedWithoutRun = items.filter(
      (item) => item.status === 'started' && !runOf.has(identityOf(item)),
    );
    const inRunButUnclaimed = items.filter(
      (item) => runOf.has(identityOf(item)) && item.status === 'received',
    );

    expect(items.length).toBeGreaterThan(outcome.universe.objects.size * 0.9);
    expect([startedWrong, startedWithoutRun, inRunButUnclaimed]).toEqual([[], [], []]);
  });

  test('duplicate notifications in one batch start one run for the object', () => {
    const sameInvocationTwice = outcome.runs.filter((run, index) =>
      outcome.runs.some(
        (other, otherIndex) =>
          otherIndex !== index &&
          other.invocation === run.invocation &&
          other.identities.some((identity) => run.identities.includes(identity)),
      ),
    );

    expect(sameInvocationTwice).toEqual([]);
  });
});
