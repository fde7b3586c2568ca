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
    expect(String(alarm.AlarmDescription)).toMatch(/Threshold: 40 %\. Runbook: runbooks\/semantic-hit-ratio-low\.md$/);
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
    [{ cacheName: 'has space' }, /^S\/Semantic: invalid cacheName "has space": 1-232 characters without spaces/],
    // <name>-semantic-hit-ratio-low would be over CloudWatch's 255 characters for an alarm name.
    [{ cacheName: 'x'.repeat(233) }, /^S\/Semantic: invalid cacheName "x{233}": 1-232 characters without spaces: .* the alarm's name \(CloudWatch allows 255\)$/],
  ])('%j is refused naming the construct and the prop', (props, message) => {
    const stack = new Stack(new App(), 'S');
    expect(() => new SemanticCacheAlarms(stack, 'Semantic', props as never)).toThrow(message);
  });

  test('a cache name longer than an SNS display name allows (100) is shortened there, and the stack synthesizes', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new SemanticCacheAlarms(stack, 'Semantic', { cacheName: 'x'.repeat(232) });
    app.synth();
    const [[, topic]] = resourcesOf(Template.fromStack(stack), 'AWS::SNS::Topic');
    expect(String(topic.DisplayName).length).toBeLessThanOrEqual(100);
    expect(topic.DisplayName).toMatch(/^ElastiCache x+… alarms$/);
    const [[, alarm]] = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm');
    expect(String(alarm.AlarmName)).toHaveLength(255);
  });
});
