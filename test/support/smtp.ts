import type { AddressInfo } from "node:net";

import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server in the test's process (the `smtp-server` package): it asks for a login, takes what the app
 * sends over the wire, and keeps each message parsed (`mailparser`). `failNext(n)` answers the next n messages
 * with a temporary failure (451), as a busy relay does.
 */
export interface TestSmtp {
  port: number;
  user: string;
  password: string;
  received: ParsedMail[];
  /** Raw messages as the server got them (headers included). */
  raw: string[];
  failNext(count: number): void;
  /** Messages to one address, in order of arrival. */
  to(address: string): ParsedMail[];
  stop(): Promise<void>;
}

export async function startSmtp(user = "mailer", password = "s3cret-pass"): Promise<TestSmtp> {
  const received: ParsedMail[] = [];
  const raw: string[] = [];
  let failing = 0;
  const server = new SMTPServer({
    // Plain SMTP on loopback: no certificate to make, and the login is still required.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (failing > 0) {
          failing--;
          callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
          return;
        }
        const message = Buffer.concat(chunks);
        raw.push(message.toString("utf8"));
        simpleParser(message)
          .then((parsed) => {
            received.push(parsed);
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    user,
    password,
    received,
    raw,
    failNext(count) {
      failing = count;
    },
    to(address) {
      return received.filter((mail) => {
        const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
        return to.some((group) => group.value.some((entry) => entry.address === address));
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
