import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { TOKEN_MAX_CHARS } from '../catalog/limits';

/** One rule of the ElastiCache pack: a pure function of an L1 resource (and the resources it refers to). */
export interface ElastiCacheRule {
  /** Rule id within the pack; findings are reported as `ElastiCache-<id>`. */
  readonly id: string;
  /** Error for what AWS rejects or what never alarms; warning for a risk. */
  readonly level: NagMessageLevel;
  /** One line: what is wrong. */
  readonly info: string;
  /** Why it matters, and the source (a section of docs/aws-facts.md and the AWS page behind it). */
  readonly explanation: string;
  readonly check: (node: CfnResource) => NagRuleResult;
}

/** The resource as CloudFormation receives it: its template entry, overrides applied, tokens resolved. */
interface RenderedResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly UpdatePolicy?: Record<string, unknown>;
}

function rendered(node: CfnResource): RenderedResource {
  const template = Stack.of(node).resolve((node as unknown as { _toCloudFormation(): unknown })._toCloudFormation()) as { Resources: Record<string, RenderedResource> };
  return Object.values(template.Resources)[0];
}

/**
 * The properties of an L1 resource exactly as they reach CloudFormation (PascalCase, escape-hatch overrides applied,
 * tokens resolved to `Ref`, `Fn::GetAtt`, `Fn::Join`, ...).
 */
export function props(node: CfnResource): Record<string, unknown> {
  return rendered(node).Properties ?? {};
}

/** The UpdatePolicy of an L1 resource as CloudFormation receives it. */
export function updatePolicy(node: CfnResource): Record<string, unknown> {
  return rendered(node).UpdatePolicy ?? {};
}

/** The logical id of an L1 resource in its template. */
export function logicalIdOf(node: CfnResource): string {
  return Stack.of(node).resolve(node.logicalId) as string;
}

/** Every L1 resource of a type in the app the node belongs to. */
export function resourcesOfType(node: IConstruct, type: string): CfnResource[] {
  return node.node.root.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === type);
}

/** The literal string a resolved value is, or undefined when it is (or contains) an intrinsic function. */
export function literal(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The longest a resolved value can be once CloudFormation renders it: literals as they are, every intrinsic function
 * inside a Fn::Join counted at the longest value a token takes in these templates.
 */
export function maxLength(value: unknown, tokenChars: (token: unknown) => number = () => TOKEN_MAX_CHARS): number {
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] } | null)?.['Fn::Join'];
  if (join) {
    const [separator, parts] = join;
    return parts.reduce<number>((n, p) => n + maxLength(p, tokenChars), 0) + separator.length * Math.max(0, parts.length - 1);
  }
  return tokenChars(value);
}

/**
 * Whether a resolved value held by `holder` refers to the given L1 resource: a `Ref` to its logical id in the same
 * stack (a Ref never leaves its template, and two stacks may use the same logical ids), or its literal id.
 */
export function refersTo(holder: IConstruct, value: unknown, resource: CfnResource, literalId: unknown): boolean {
  const ref = (value as { Ref?: string } | null)?.Ref;
  if (ref !== undefined) return Stack.of(holder) === Stack.of(resource) && ref === logicalIdOf(resource);
  return typeof value === 'string' && value === literalId;
}

/** A resolved value as text: literals as they are, Fn::Join flattened, any other intrinsic function as `<token>`. */
export function renderText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const join = (value as { 'Fn::Join'?: [string, unknown[]] } | null)?.['Fn::Join'];
  return join ? join[1].map(renderText).join(join[0]) : '<token>';
}
