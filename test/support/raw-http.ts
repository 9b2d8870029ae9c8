import net from 'node:net';

export interface RawExchange {
  /** Everything the server wrote, as text. */
  text: string;
  /** The status of the last answer (after any interim 100 Continue). */
  status: number;
  /** The server ended the connection. */
  closed: boolean;
  /** Body bytes handed to the socket before the server's answer arrived. */
  bodyBytesWritten: number;
}

/**
 * One HTTP/1.1 request over a plain socket, to see exactly what the server does with a body:
 * `head` is written at once; `body` is written in chunks (all of it, or only `sendBytes`), and
 * the exchange ends when the server closes, or `settleMs` after the first answer.
 */
export async function rawExchange(
  url: string,
  request: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: Buffer;
    sendBytes?: number;
  },
  options: { settleMs?: number; timeoutMs?: number } = {},
): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  const headers = { Host: `${hostname}:${port}`, ...request.headers };
  if (request.body && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')) {
    (headers as Record<string, string>)['Content-Length'] = String(request.body.length);
  }
  const head = `${request.method} ${request.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
  let text = '';
  let answered = false;
  let bodyBytesWritten = 0;
  return new Promise<RawExchange>((resolve, reject) => {
    const finish = (closed: boolean) => {
      clearTimeout(timeout);
      socket.destroy();
      const statuses = [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => Number(match[1]));
      resolve({ text, status: statuses.at(-1) ?? 0, closed, bodyBytesWritten });
    };
    const timeout = setTimeout(() => {
      if (answered) return finish(false);
      socket.destroy();
      reject(new Error(`no answer within the timeout:\n${text}`));
    }, options.timeoutMs ?? 20_000);
    let settling = false;
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (!answered && /^HTTP\/1\.1 [2-5]\d\d/m.test(text)) answered = true;
      // An interim answer (100 Continue) counts for settling: the test may want only that.
      if (!settling && options.settleMs !== undefined && /^HTTP\/1\.1 \d{3}/m.test(text)) {
        settling = true;
        answered = true;
        setTimeout(() => finish(false), options.settleMs);
      }
    });
    socket.on('close', () => finish(true));
    // Writing into a connection the server already ended is expected here.
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      socket.write(head);
      const body = request.body;
      if (!body) return;
      const total = Math.min(body.length, request.sendBytes ?? body.length);
      const chunk = 16 * 1024;
      const writeFrom = (offset: number) => {
        while (offset < total && !answered && !socket.destroyed) {
          const piece = body.subarray(offset, Math.min(total, offset + chunk));
          offset += piece.length;
          bodyBytesWritten += piece.length;
          if (!socket.write(piece)) {
            socket.once('drain', () => writeFrom(offset));
            return;
          }
        }
      };
      writeFrom(0);
    });
  });
}
