/**
 * cfn-lint's resource schemas, brought up to date for the resource types this toolkit creates: a property that
 * CloudFormation's registry schema has (as `@aws-cdk/aws-service-spec` carries it, the source aws-cdk-lib's L1s are
 * generated from) and cfn-lint's bundled copy lacks is added with its type and allowed values, so that cfn-lint checks
 * it instead of reporting it as unknown (E3002). Nothing is hand-written: both sides are read from the installed
 * packages. docs/aws-facts.md, "Durability" and "Serverless network type", name the properties this adds today.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

/** The resource types whose schemas are brought up to date. */
const TYPES = /^AWS::ElastiCache::/;

interface SpecProperty { type: { type: string; allowedValues?: string[] } }
interface SpecResource { cloudFormationType: string; properties: Record<string, SpecProperty> }

function cfnLintSchemaDir(): string {
  const result = spawnSync('python3', ['-c', 'import cfnlint, os; print(os.path.dirname(cfnlint.__file__))'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cfn-lint's Python package is not importable: ${result.stderr}`);
  return path.join(result.stdout.trim(), 'data', 'schemas');
}

/** A registry-schema property as JSON Schema: primitive types only; undefined for what cannot be said that simply. */
function jsonSchemaOf(p: SpecProperty): Record<string, unknown> | undefined {
  const { type, allowedValues } = p.type;
  if (type === 'string') return { type: 'string', ...(allowedValues ? { enum: allowedValues } : {}) };
  if (type === 'boolean') return { type: 'boolean' };
  if (type === 'integer' || type === 'number') return { type };
  return undefined;
}

let cached: { dir: string; added: Record<string, string[]> } | undefined;

/**
 * A directory of registry schemas for `cfn-lint --registry-schemas`, and the properties added per type. Built once
 * per process.
 */
export function schemaSupplement(): { dir: string; added: Record<string, string[]> } {
  if (cached) return cached;
  const schemas = cfnLintSchemaDir();
  const provider = fs.readFileSync(path.join(schemas, 'providers', 'us_east_1.py'), 'utf8');
  const hashes = new Map([...provider.matchAll(/"(AWS::[A-Za-z0-9:]+)": "([0-9a-f]+)"/g)].map((m) => [m[1], m[2]]));
  const specFile = require.resolve('@aws-cdk/aws-service-spec/db.json.gz');
  const db = JSON.parse(zlib.gunzipSync(fs.readFileSync(specFile)).toString('utf8')) as { schema: { resource: { entities: Record<string, SpecResource> } } };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ectk-cfn-schemas-'));
  const added: Record<string, string[]> = {};
  for (const resource of Object.values(db.schema.resource.entities)) {
    const typeName = resource.cloudFormationType;
    const hash = hashes.get(typeName);
    if (!TYPES.test(typeName) || !hash) continue;
    const schema = JSON.parse(fs.readFileSync(path.join(schemas, 'resources', `${hash}.json`), 'utf8')) as { properties: Record<string, unknown> };
    for (const [name, property] of Object.entries(resource.properties)) {
      const json = jsonSchemaOf(property);
      if (name in schema.properties || !json) continue;
      schema.properties[name] = json;
      (added[typeName] ??= []).push(name);
    }
    if (added[typeName]) fs.writeFileSync(path.join(dir, `${typeName.replace(/::/g, '-').toLowerCase()}.json`), JSON.stringify(schema));
  }
  cached = { dir, added };
  return cached;
}
