// API-server-grade checks of the batch group (src/schema/api/batch.ts, cron.ts) through the schema preset.
// Every fixture under test/fixtures/api/batch was sent to a real kube-apiserver v1.37.2
// (`kubectl create --dry-run=server --validate=strict`): it rejects exactly the documents that
// get findings here, with the same field paths and wording, and accepts the others.
import { describe, expect, it } from 'vitest';
import { fixtureFindings } from '../helpers/schema-findings.js';

const DIR = new URL('../fixtures/api/batch/', import.meta.url);

const findings = fixtureFindings(DIR);

describe('batch: API-server validation', () => {
  // Known difference: the API server's "`selector` not auto-generated" shows the selector with a
  // uid it generated, and a template-label mismatch against labels it added; shipshape reports the
  // first without the value and cannot know the second.

  it('Job: counts are non-negative, restartPolicy must be OnFailure or Never (also when absent), Indexed needs completions', async () => {
    expect(await findings('job-counts.yaml')).toEqual([
      '6:16 spec.completions: Invalid value: -1: must be greater than or equal to 0',
      '7:16 spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
      '8:17 spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
      '10:28 spec.ttlSecondsAfterFinished: Invalid value: -1: must be greater than or equal to 0',
      '11:19 spec.completionMode: must be one of NonIndexed, Indexed, got string "Foo"',
      '14:22 spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
      '25:5 spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
      '34:1 spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified',
      '34:1 spec.completions: Required value: when completion mode is Indexed',
      '37:26 spec.activeDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0',
      '50:1 spec.maxFailedIndexes: Required value: must be specified when completions is above 100000',
      '53:16 spec.parallelism: Invalid value: 200000: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index',
      '53:16 spec.parallelism: Invalid value: 200000: must be less than or equal to 100000 when completion mode is Indexed',
    ]);
  });

  it('Job: backoffLimitPerIndex and maxFailedIndexes need Indexed mode and stay within completions; FailIndex needs backoffLimitPerIndex', async () => {
    expect(await findings('job-indexed.yaml')).toEqual([
      '7:25 spec.backoffLimitPerIndex: Invalid value: -1: must be greater than or equal to 0',
      '8:21 spec.maxFailedIndexes: Invalid value: 2: must be less than or equal to completions',
      '21:25 spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode',
      '22:21 spec.maxFailedIndexes: Invalid value: 1: requires indexed completion mode',
      '28:9 spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [0,3,2]: must be ordered',
      '32:9 spec.podFailurePolicy.rules[1].onExitCodes.values: Invalid value: []: at least one value is required',
      "35:15 spec.podFailurePolicy.rules[2].onPodConditions[0].type: Invalid value: \"bad type!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      '52:15 spec.podFailurePolicy.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
      '57:5 spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is specified',
    ]);
  });

  it('Job: podFailurePolicy actions, exit-code operators, values, container names, condition patterns and restartPolicy Never', async () => {
    expect(await findings('job-pod-failure.yaml')).toEqual([
      '8:15 spec.podFailurePolicy.rules[0].action: Unsupported value: "Foo": supported values: "Count", "FailIndex", "FailJob", "Ignore"',
      '11:18 spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
      '12:7 spec.podFailurePolicy.rules[1]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported',
      '14:24 spec.podFailurePolicy.rules[1].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template',
      '15:19 spec.podFailurePolicy.rules[1].onExitCodes.operator: Unsupported value: "Bar": supported values: "In", "NotIn"',
      '16:21 spec.podFailurePolicy.rules[1].onExitCodes.values[1]: Duplicate value: 1',
      '19:7 spec.podFailurePolicy.rules[2]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
      '23:17 spec.podFailurePolicy.rules[3].onPodConditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
      '26:22 spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
    ]);
  });

  it('Job: successPolicy needs Indexed mode and parses succeededIndexes as the API server does', async () => {
    expect(await findings('job-success.yaml')).toEqual([
      '6:3 spec.successPolicy: Invalid value: {"Rules":[{"SucceededIndexes":null,"SucceededCount":1}]}: requires indexed completion mode',
      '25:25 spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-5,x": error parsing succeededIndexes: too large index: "5"',
      '26:23 spec.successPolicy.rules[0].succeededCount: Invalid value: 5: must be less than or equal to 0 (the number of indexes in the specified succeededIndexes field)',
      '26:23 spec.successPolicy.rules[0].succeededCount: Invalid value: 5: must be less than or equal to 3 (the number of specified completions)',
      '27:7 spec.successPolicy.rules[1]: Required value: at least one of succeededCount or succeededIndexes must be specified',
      '44:25 spec.successPolicy.rules[0].succeededIndexes: Invalid value: "1-3,2": error parsing succeededIndexes: non-increasing order, previous: 3, current: 2',
      '45:25 spec.successPolicy.rules[1].succeededIndexes: Invalid value: "a": error parsing succeededIndexes: cannot convert string to integer for index: "a"',
      '46:25 spec.successPolicy.rules[2].succeededIndexes: Invalid value: "1-2-3": error parsing succeededIndexes: the fragment "1-2-3" violates the requirement that an index interval can have at most two parts separated by \'-\'',
      '47:25 spec.successPolicy.rules[3].succeededIndexes: Invalid value: "3-1": error parsing succeededIndexes: non-increasing order, previous: 3, current: 1',
      '50:25 spec.successPolicy.rules[5].succeededIndexes: Invalid value: "-1": error parsing succeededIndexes: cannot convert string to integer for index: ""',
      '52:23 spec.successPolicy.rules[6].succeededCount: Invalid value: 1: must be less than or equal to 0 (the number of indexes in the specified succeededIndexes field)',
    ]);
  });

  it('Job: manual selector required and matching; a hand-written selector is refused; podReplacementPolicy; a plain Job passes', async () => {
    expect(await findings('job-selector.yaml')).toEqual([
      '11:7 spec.template.metadata.labels: Invalid value: {"a":"c"}: `selector` does not match template `labels`',
      '22:1 spec.selector: Required value',
      '24:3 spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`',
      '36:3 spec.selector: Invalid value: `selector` not auto-generated',
      '64:25 spec.podReplacementPolicy: Unsupported value: "Foo": supported values: "Failed", "TerminatingOrFailed"',
      '82:25 spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"',
    ]);
  });

  it('CronJob: schedule syntax (fields, ranges, steps, names, descriptors, TZ=), history limits, job template', async () => {
    expect(await findings('cronjob-schedule.yaml')).toEqual([
      '6:13 spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
      '7:22 spec.concurrencyPolicy: Unsupported value: "Foo": supported values: "Allow", "Forbid", "Replace"',
      '8:28 spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0',
      '9:31 spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0',
      '10:27 spec.failedJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0',
      '14:9 spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
      '24:13 spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      '55:13 spec.schedule: Required value',
      '85:13 spec.schedule: Invalid value: "0 0 * *": expected exactly 5 fields, found 4: [0 0 * *]',
      '100:13 spec.schedule: Invalid value: "0 0 31 2 8": end of range (8) above maximum (6): 8',
      '115:13 spec.schedule: Invalid value: "CRON_TZ=UTC 0 0 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      '130:13 spec.schedule: Invalid value: "5-1 */0 * * *": beginning of range (5) beyond end of range (1): 5-1',
      '145:13 spec.schedule: Invalid value: "TZ=UTC 0 0 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      '161:13 spec.schedule: Invalid value: "0 0 1/5,*/x * *": failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax',
      '176:13 spec.schedule: Invalid value: "0 0 0 * SUN-sat": beginning of range (0) below minimum (1): 0',
      '192:13 spec.schedule: Invalid value: "0 0 1-2-3 * * ": too many hyphens: 1-2-3',
      '208:13 spec.schedule: Invalid value: "*/0 0 1/2/3 * *": step of range should be a positive number: */0',
      '209:13 spec.timeZone: Invalid value: "../etc": unknown time zone ../etc',
      '224:13 spec.schedule: Invalid value: "TZ=Foo/Bar 0 0 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      '224:13 spec.schedule: Invalid value: "TZ=Foo/Bar 0 0 * * *": provided bad location Foo/Bar: unknown time zone Foo/Bar',
    ]);
  });

  it('CronJob: time zones as Go loads them (case, Local, empty), @every durations, job template selector, empty concurrencyPolicy defaulted', async () => {
    expect(await findings('cronjob-zone.yaml')).toEqual([
      '7:13 spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
      '23:13 spec.timeZone: Invalid value: " UTC": unknown time zone  UTC',
      '39:13 spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      '43:23 spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
      '44:7 spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
      '60:13 spec.schedule: Invalid value: "@every 5": failed to parse duration @every 5: time: missing unit in duration "5"',
      '61:13 spec.timeZone: Invalid value: "local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      '61:13 spec.timeZone: Invalid value: "local": unknown time zone local',
      '76:13 spec.schedule: Invalid value: "@often": unrecognized descriptor: @often',
      '77:13 spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string',
      '92:13 spec.schedule: Invalid value: "0 0 * foo *": failed to parse int from foo: strconv.Atoi: parsing "foo": invalid syntax',
      '93:13 spec.timeZone: Invalid value: "europe/paris": unknown time zone europe/paris',
      '108:13 spec.schedule: Invalid value: "@every 1h30x": failed to parse duration @every 1h30x: time: unknown unit "x" in duration "1h30x"',
      '109:13 spec.timeZone: Invalid value: "UTC+1": unknown time zone UTC+1',
    ]);
  });
});
