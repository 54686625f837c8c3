/** A free TCP port on 127.0.0.1 (the OS picks it): held until its user listens on it, or closed again at once. */
import { createServer } from 'node:net';

/** A port listened on until `release()`: no other process's pick can take it before its user listens on it. */
export interface HeldPort {
  port: number;
  release(): Promise<void>;
}

export function holdFreePort(): Promise<HeldPort> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      let released: Promise<void> | undefined;
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        release: () => (released ??= new Promise((done) => server.close(() => done()))),
      });
    });
  });
}

/** A free port, closed again before it is used (a JVM listens on it: it cannot be handed a held one). */
export async function freePort(): Promise<number> {
  const held = await holdFreePort();
  await held.release();
  return held.port;
}
