/**
 * The platform's edge port is picked before its gateway listens (the functions are given its address first): held
 * meanwhile, no other process's pick of a free port (the other Jest worker's) can take it.
 */
import { createServer } from 'node:net';
import { expect, test } from '@jest/globals';
import { freePort, holdFreePort } from '../../dev-server/free-port';

const listenOn = (port: number) =>
  new Promise<{ close(): Promise<void> }>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ close: () => new Promise((done) => server.close(() => done())) }));
  });

test('a held port is taken by nobody else until released; then its user listens on it', async () => {
  const held = await holdFreePort();
  await expect(listenOn(held.port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  await held.release();
  await held.release();
  const user = await listenOn(held.port);
  await user.close();
});

test('a free port is closed again when it is handed out', async () => {
  const server = await listenOn(await freePort());
  await server.close();
});
