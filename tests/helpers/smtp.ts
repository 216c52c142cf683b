/**
 * A real SMTP server on 127.0.0.1 for tests: it keeps every message it accepts (recipients and
 * raw text), and refuses messages with `rejectWith` (an SMTP reply code) while that is set.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
  port: number;
  messages: Array<{ to: string[]; raw: string }>;
  rejectWith: number | null;
  close(): Promise<void>;
}

export async function startSmtp(port = 0, messages: TestSmtp['messages'] = []): Promise<TestSmtp> {
  const smtp: TestSmtp = { port, messages, rejectWith: null, close: async () => undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c) => (raw += c));
      stream.on('end', () => {
        if (smtp.rejectWith) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: smtp.rejectWith }));
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  smtp.port = (server.server.address() as AddressInfo).port;
  smtp.close = () => new Promise<void>((r) => server.close(() => r()));
  return smtp;
}
