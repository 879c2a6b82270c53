import type { Server } from 'node:http';

/**
 * `server.listen` as a promise that also rejects when the port cannot be bound (e.g. EADDRINUSE),
 * instead of the server emitting an unhandled 'error' that crashes the process with a stack trace.
 */
export function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
