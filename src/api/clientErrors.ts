import type http from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Requests Node's HTTP parser refuses before Express sees them (a NUL in a header, a
 * header block over 16 KB, a malformed request line) still get a problem document.
 */
export function answerClientErrors(server: http.Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      type: 'urn:resetflow:problem:invalid_request',
      title: tooLarge ? 'Request headers too large' : 'Invalid request',
      status,
      detail: tooLarge ? 'The request line and headers are over 16 KiB.' : 'The request could not be read as HTTP.',
      code: 'invalid_request',
    });
    socket.end(`HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
