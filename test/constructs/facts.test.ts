import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : /\.(ts|md)$/.test(e.name) ? [full] : [];
  });
}

/** A cited name as written across lines: joined string literals (`' +\n '`) and comment line breaks (`\n * `) undone. */
function unwrap(name: string): string {
  return name.replace(/'\s*\+\s*'/g, '').replace(/\s*\n\s*(\*\s*|\/\/\s*)?/g, ' ');
}

describe('the AWS facts file', () => {
  const facts = fs.readFileSync(path.join(root, 'docs', 'aws-facts.md'), 'utf8');
  const sections = new Set([...facts.matchAll(/^## (.+)$/gm)].map((m) => m[1]));
  const sources = ['lib', 'test', 'bin', 'docs', 'runbooks'].flatMap((d) => files(path.join(root, d))).filter((f) => !f.endsWith('aws-facts.md'));

  test('every section cited by name exists, and every fact cited comes from this repository', () => {
    const cited = sources.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/aws-facts\.md[,:]? \(?"([^"]+)"/g)]
      .map((m) => ({ file: path.relative(root, f), section: unwrap(m[1]) })));
    expect(cited.length).toBeGreaterThan(40);
    expect(cited.filter((c) => !sections.has(c.section))).toEqual([]);
    // The one use of the folder beside the repository: the fixture that finds the vector-search engine's binaries.
    const external = sources.filter((f) => /FACTS\.md|shared\/(?!engines\/valkey-search)/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(root, f));
    expect(external).toEqual([]);
  });

  test('every section gives at least one source', () => {
    const bodies = facts.split(/^## /m).slice(1);
    for (const body of bodies) expect([body.split('\n')[0], /Source|Sources|https:\/\/|issue|PR \d/.test(body)]).toEqual([body.split('\n')[0], true]);
  });
});
