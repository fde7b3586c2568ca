/**
 * The construct library's documentation, read from its jsii assembly (`.jsii`, built by `npm run build`): exactly the
 * API that TypeScript, Python, Java, .NET and Go users see, and nothing internal.
 */
import * as fs from 'fs';
import * as path from 'path';

interface Docs { summary?: string; default?: string }
interface Member { name: string; docs?: Docs; optional?: boolean; static?: boolean; const?: boolean }
interface JsiiType { kind: string; name: string; datatype?: boolean; docs?: Docs; properties?: Member[]; methods?: Member[]; members?: Member[] }

const assemblyFile = path.join(__dirname, '..', '..', '.jsii');
const types = (): JsiiType[] => {
  if (!fs.existsSync(assemblyFile)) throw new Error('.jsii is missing: run `npm run build` first (npm test does)');
  return Object.values((JSON.parse(fs.readFileSync(assemblyFile, 'utf8')) as { types: Record<string, JsiiType> }).types);
};

describe('public construct API documentation (from the jsii assembly)', () => {
  const all = types();
  const structs = all.filter((t) => t.kind === 'interface' && t.datatype);
  const props = structs.flatMap((t) => (t.properties ?? []).map((p) => ({ where: `${t.name}.${p.name}`, ...p })));

  test('finds the public types: constructs, props, enums', () => {
    expect(all.map((t) => t.name)).toEqual(expect.arrayContaining(['ClusterCache', 'ClusterCacheProps', 'LoadProfile', 'AlarmId', 'IClusterCache']));
    expect(props.length).toBeGreaterThan(100);
  });

  test('every type, property, method and enum member has a summary', () => {
    const undocumented = all.flatMap((t) => [
      ...(t.docs?.summary ? [] : [t.name]),
      ...[...(t.properties ?? []), ...(t.methods ?? []), ...(t.members ?? [])].filter((m) => !m.docs?.summary).map((m) => `${t.name}.${m.name}`),
    ]);
    expect(undocumented).toEqual([]);
  });

  test('every optional prop says what happens when it is left out (@default)', () => {
    expect(props.filter((p) => p.optional && !p.docs?.default).map((p) => p.where)).toEqual([]);
  });
});
