import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as tls from 'tls';
import { createInterface } from 'readline';

/** A TCP proxy in front of a real server that forwards at most `rate` commands per second over all its connections. */
export interface ThrottleProxy {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Where each RESP command (an array of bulk strings, as every client sends them) ends in `buffer` from `offset`, or -1
 * when the command is not complete yet.
 */
function commandEnd(buffer: Buffer, offset: number): number {
  const line = (from: number) => {
    const end = buffer.indexOf('\r\n', from);
    return end < 0 ? undefined : { text: buffer.toString('latin1', from, end), next: end + 2 };
  };
  const header = line(offset);
  if (!header) return -1;
  if (!header.text.startsWith('*')) throw new Error(`the proxy forwards RESP arrays only, got ${JSON.stringify(header.text)}`);
  let at = header.next;
  for (let i = 0; i < Number(header.text.slice(1)); i++) {
    const bulk = line(at);
    if (!bulk) return -1;
    at = bulk.next + Number(bulk.text.slice(1)) + 2;
    if (at > buffer.length) return -1;
  }
  return at;
}

/**
 * An injected capacity limit for tests of the capacity search: a real redis-server behind a token bucket of `rate`
 * commands per second (a burst of 20 ms worth). Commands beyond the rate wait in order, so above the limit the queue,
 * and every latency measured through it, grows without bound; below it nothing waits. The proxy runs in a process of
 * its own, so that its work never delays the load generator it is measured by.
 */
export async function startThrottleProxy(targetPort: number, rate: number, tlsFiles?: { cert: string; key: string }): Promise<ThrottleProxy> {
  const tlsArgs = tlsFiles ? [tlsFiles.cert, tlsFiles.key] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, String(targetPort), String(rate), ...tlsArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(Number(line)));
    child.once('exit', (code) => reject(new Error(`the throttling proxy exited with ${code}`)));
  });
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** The proxy itself, in the child process; with a certificate and key it terminates TLS (the server behind is plain). */
async function serveThrottled(targetPort: number, rate: number, certFile?: string, keyFile?: string): Promise<ThrottleProxy> {
  const burst = Math.max(1, rate * 0.02);
  let tokens = burst;
  let refilledAt = performance.now();
  const queue: Array<{ upstream: net.Socket; bytes: Buffer }> = [];
  let timer: NodeJS.Timeout | undefined;
  const release = () => {
    timer = undefined;
    const now = performance.now();
    tokens = Math.min(burst, tokens + ((now - refilledAt) / 1000) * rate);
    refilledAt = now;
    while (queue.length > 0 && tokens >= 1) {
      const { upstream, bytes } = queue.shift()!;
      // A command of a connection that has gone costs nothing: one step's backlog must not slow the next step.
      if (upstream.destroyed) continue;
      tokens -= 1;
      upstream.write(bytes);
    }
    if (queue.length > 0) timer = setTimeout(release, Math.max(1, ((1 - tokens) / rate) * 1000));
  };
  const sockets = new Set<net.Socket>();
  const onClient = (client: net.Socket) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    // As Redis clients and servers do: without it, Nagle's algorithm holds small writes back for milliseconds.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    client.on('data', (data) => {
      pending = Buffer.concat([pending, data]);
      let offset = 0;
      for (let end = commandEnd(pending, offset); end > 0; end = commandEnd(pending, offset)) {
        queue.push({ upstream, bytes: pending.subarray(offset, end) });
        offset = end;
      }
      pending = pending.subarray(offset);
      if (!timer) release();
    });
    upstream.pipe(client);
    const close = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  };
  const server = certFile && keyFile
    ? tls.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }, onClient)
    : net.createServer(onClient);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

if (require.main === module) {
  void serveThrottled(Number(process.argv[2]), Number(process.argv[3]), process.argv[4], process.argv[5]).then((proxy) => {
    process.stdout.write(`${proxy.port}\n`);
    process.once('SIGTERM', () => { void proxy.close().then(() => process.exit(0)); });
  });
}
