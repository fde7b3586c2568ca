import { ChildProcess, spawn } from 'child_process';
import * as http from 'http';
import { freePort } from './redis';

/** A moto_server AWS API emulator on a loopback port, spoken to over real HTTP by the SDK clients. */
export interface Moto {
  readonly endpoint: string;
  /** Client settings that point an AWS SDK v3 client at the emulator. */
  readonly clientConfig: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  /** Forgets every resource and data point (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

function request(url: string, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
    req.on('error', reject);
    req.end();
  });
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if (await request(`${endpoint}/moto-api/`) > 0) break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`moto_server did not start on ${port}: ${stderr.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    endpoint,
    clientConfig: { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } },
    reset: async () => { await request(`${endpoint}/moto-api/reset`, 'POST'); },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
