// Connectivity probe: proves that a bound function reaches its cache over TLS (security group, subnets, DNS).
// It opens a TLS connection to the endpoint from the environment that cache.bind() set, sends PING and reports
// the first reply line: "+PONG", or "-NOAUTH ..." when the connection is not yet authenticated (still reachable).
import tls from 'node:tls';

export async function handler() {
  const host = process.env.ECTK_CACHE_ENDPOINT;
  const port = Number(process.env.ECTK_CACHE_PORT);
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port, servername: host, timeout: 5000 }, () => {
      const tlsMs = Date.now() - started;
      socket.write('PING\r\n');
      socket.once('data', (data) => {
        socket.end();
        resolve({ reachable: true, host, port, tlsMs, reply: data.toString().split('\r\n')[0] });
      });
    });
    socket.on('timeout', () => { socket.destroy(); resolve({ reachable: false, host, port, error: 'timeout after 5 s' }); });
    socket.on('error', (err) => resolve({ reachable: false, host, port, error: err.message }));
  });
}
