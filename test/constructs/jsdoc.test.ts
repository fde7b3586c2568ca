import * as fs from 'fs';
import * as path from 'path';

const dir = path.join(__dirname, '..', '..', 'lib', 'constructs');

/** Every `readonly` member of an exported interface, with the comment block right above it. */
function members(file: string): Array<{ where: string; doc: string; optional: boolean }> {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  const out: Array<{ where: string; doc: string; optional: boolean }> = [];
  const iface = /export interface (\w+)[^{]*\{([\s\S]*?)\n\}/g;
  for (let m = iface.exec(text); m; m = iface.exec(text)) {
    const body = m[2];
    const member = /((?:\s*\/\*\*[\s\S]*?\*\/)?)\s*readonly (\w+)(\?)?:/g;
    for (let p = member.exec(body); p; p = member.exec(body)) {
      out.push({ where: `${file} ${m[1]}.${p[2]}`, doc: p[1], optional: p[3] === '?' });
    }
  }
  return out;
}

describe('public construct API documentation', () => {
  const all = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).flatMap(members);

  test('finds the props interfaces', () => {
    expect(all.some((m) => m.where.includes('ClusterCacheProps.replicasPerShard'))).toBe(true);
    expect(all.length).toBeGreaterThan(60);
  });

  test('every interface member has a JSDoc line', () => {
    expect(all.filter((m) => !/\/\*\*[\s\S]*\w[\s\S]*\*\//.test(m.doc)).map((m) => m.where)).toEqual([]);
  });

  test('every optional prop says what happens when it is left out (@default)', () => {
    // Interfaces named I* describe what a resource offers (attributes); the rest are props a user passes.
    const props = all.filter((m) => m.optional && !/ I[A-Z]\w*\./.test(m.where));
    expect(props.length).toBeGreaterThan(40);
    expect(props.filter((m) => !m.doc.includes('@default')).map((m) => m.where)).toEqual([]);
  });
});
