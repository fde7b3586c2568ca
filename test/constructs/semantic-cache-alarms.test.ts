import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SemanticCacheAlarms } from '../../lib';
import { cfnLintErrors, checkedSynth, resourcesOf } from '../support/cdk';

describe('SemanticCacheAlarms', () => {
  test('semantic-hit-ratio-low on the counts the client writes (SUM of hits / SUM of lookups, dimension Cache), with its runbook; clean synth', () => {
    const result = checkedSynth((stack) => { new SemanticCacheAlarms(stack, 'Semantic', { cacheName: 'ectk-inference', minHitRatioPercent: 40 }); });
    expect(result.violations).toEqual([]);
    expect(cfnLintErrors(result.templateFile)).toEqual([]);
    const [[, alarm]] = resourcesOf(result.template, 'AWS::CloudWatch::Alarm');
    expect(alarm).toMatchObject({
      AlarmName: 'ectk-inference-semantic-hit-ratio-low', Threshold: 40,
      ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 6, DatapointsToAlarm: 4, TreatMissingData: 'notBreaching',
    });
    // A ratio of sums, not the average of each record's ratio: a record of one lookup weighs one lookup.
    const stat = (name: string) => ({
      MetricStat: { Metric: { Namespace: 'ElastiCacheToolkit/SemanticCache', MetricName: name, Dimensions: [{ Name: 'Cache', Value: 'ectk-inference' }] }, Period: 300, Stat: 'Sum' },
      ReturnData: false,
    });
    expect(alarm.Metrics).toEqual([
      { Id: 'expr_1', Expression: '100 * numerator / denominator', Label: 'Semantic hit ratio (%)', ReturnData: true },
      { Id: 'numerator', ...stat('SemanticHits') },
      { Id: 'denominator', ...stat('SemanticLookups') },
    ]);
    expect(alarm.MetricName).toBeUndefined();
    expect(String(alarm.AlarmDescription)).toMatch(/Threshold 40 %\. Runbook: runbooks\/semantic-hit-ratio-low\.md$/);
    expect((alarm.AlarmActions as unknown[])).toHaveLength(1);
    expect((alarm.OKActions as unknown[])).toHaveLength(1);
  });

  test('an existing topic is used; the default threshold is 25 %', () => {
    const stack = new Stack(new App(), 'S');
    const topic = new sns.Topic(stack, 'Topic');
    const alarms = new SemanticCacheAlarms(stack, 'Semantic', { cacheName: 'c', alarmTopic: topic });
    expect(alarms.alarmTopic).toBe(topic);
    const [[, alarm]] = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm');
    expect(alarm.Threshold).toBe(25);
    expect(resourcesOf(Template.fromStack(stack), 'AWS::SNS::Topic')).toHaveLength(1);
  });

  test.each<[object, RegExp]>([
    [{ cacheName: 'c', minHitRatioPercent: 0 }, /^S\/Semantic: invalid minHitRatioPercent 0: a percentage above 0 and below 100$/],
    [{ cacheName: 'c', minHitRatioPercent: 100 }, /invalid minHitRatioPercent 100/],
    [{ cacheName: 'has space' }, /^S\/Semantic: invalid cacheName "has space": 1-255 characters without spaces/],
  ])('%j is refused naming the construct and the prop', (props, message) => {
    const stack = new Stack(new App(), 'S');
    expect(() => new SemanticCacheAlarms(stack, 'Semantic', props as never)).toThrow(message);
  });
});
