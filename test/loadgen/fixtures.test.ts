import { connect, startCluster, startRedis } from '../support/redis';

describe('redis-server fixtures', () => {
  test('standalone and TLS servers answer', async () => {
    const plain = await startRedis();
    const tls = await startRedis({ tls: true });
    const a = connect(plain.port);
    const b = connect(tls.port, true);
    expect(await a.set('k', 'v')).toBe('OK');
    expect(await b.ping()).toBe('PONG');
    a.disconnect();
    b.disconnect();
    await Promise.all([plain.stop(), tls.stop()]);
  });

  test('the cluster has 3 primaries and 3 replicas covering all slots', async () => {
    const cluster = await startCluster();
    const c = connect(cluster.ports[0]);
    const info = await c.cluster('INFO') as string;
    expect(info).toContain('cluster_slots_assigned:16384');
    expect(info).toContain('cluster_known_nodes:6');
    expect(info).toContain('cluster_size:3');
    c.disconnect();
    await cluster.stop();
  });
});
