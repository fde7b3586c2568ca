/**
 * AWS limits that a template can break without cfn-lint noticing: constructs stay inside them and the ElastiCache rule
 * pack checks them. Each one is quoted with its source in docs/aws-facts.md ("Deploy-time limits and traps").
 */

/** CloudWatch: an alarm's metric math reads at most 10 metrics. */
export const ALARM_MAX_METRICS = 10;
/** CloudWatch: an alarm description (metric or composite) holds at most 1,024 characters. */
export const ALARM_DESCRIPTION_MAX_CHARS = 1024;
/** CloudWatch: a composite alarm rule holds at most 10,240 characters. */
export const COMPOSITE_RULE_MAX_CHARS = 10240;
/** CloudWatch: a composite alarm has at most 100 child alarms. */
export const COMPOSITE_MAX_CHILDREN = 100;
/** CloudWatch: a dashboard graph shows at most 500 metrics. */
export const WIDGET_MAX_METRICS = 500;
/** CloudFormation: a stack holds at most 500 resources. */
export const STACK_MAX_RESOURCES = 500;
/** CloudFormation: a template (uploaded through S3) is at most 1 MB. */
export const TEMPLATE_MAX_BYTES = 1_000_000;
/** Systems Manager: a Standard parameter holds at most 4,096 characters, an Advanced one 8,192. */
export const SSM_MAX_CHARS = { Standard: 4096, Advanced: 8192 } as const;
/**
 * Longest value a CloudFormation token can resolve to in the toolkit's documents, used to size them before deploy:
 * ARNs (secret ARNs with their random suffix, KMS key ARNs) and endpoint host names stay far below it.
 */
export const TOKEN_MAX_CHARS = 256;
/**
 * Longest alarm ARN prefix, `arn:<partition>:cloudwatch:<region>:<account>:alarm:`, for sizing composite rules before
 * the ARNs are known (partition aws-iso-b and the longest region names included).
 */
export const ALARM_ARN_PREFIX_MAX_CHARS = 64;
