// Copies what a package ships from the repository root into the package folder: the runbooks and the licence.
// Run by the runtime package's build (`node ../../scripts/copy-shared.js .`).
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const target = path.resolve(process.argv[2] ?? '.');
fs.rmSync(path.join(target, 'runbooks'), { recursive: true, force: true });
fs.cpSync(path.join(root, 'runbooks'), path.join(target, 'runbooks'), { recursive: true });
fs.copyFileSync(path.join(root, 'LICENSE'), path.join(target, 'LICENSE'));
