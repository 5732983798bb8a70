// TLS handshake up to the server certificate, with Node's TLS stack (OpenSSL): it speaks TLS 1.3,
// where the certificate is encrypted and a passive decoder cannot see it. Nothing is trusted or
// verified: the certificate names are evidence, not identity proof.
import { connect, type PeerCertificate } from 'node:tls';
import { charge, type ProbeEnv, type Target } from '../probe-env.js';
import type { ProbeSpec } from '../probe-spec.js';
import { observe } from '../reply-observer.js';

/** SYN/ACK, ClientHello, client Finished (or key exchange), ACKs, close_notify, FIN/ACK. */
const HANDSHAKE_PACKETS = 8;

export async function runTls(
  env: ProbeEnv,
  target: Target,
  probe: ProbeSpec,
  port: number,
): Promise<boolean> {
  await charge(env, target, HANDSHAKE_PACKETS);
  const cert = await new Promise<PeerCertificate | null>((resolve) => {
    const socket = connect({
      host: target.ip,
      port,
      // Evidence gathering, not trust: old devices offer TLS 1.0 and weak keys, which must still be read.
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    const timer = setTimeout(() => done(null), probe.timeoutMs);
    const done = (c: PeerCertificate | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(c);
    };
    socket.once('secureConnect', () => {
      const c = socket.getPeerCertificate(false);
      socket.end();
      done(c && Object.keys(c).length ? c : null);
    });
    socket.once('error', () => done(null));
  });
  if (!cert) return false;
  const origin = { target, port, transport: 'tcp' as const };
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const fields = [
    ['tls.cert_subject_cn', first(cert.subject?.CN)],
    ['tls.cert_subject_o', first(cert.subject?.O)],
    ['tls.cert_issuer_cn', first(cert.issuer?.CN)],
    ['tls.cert_issuer_o', first(cert.issuer?.O)],
  ] as const;
  for (const [key, value] of fields) if (value) observe(env, origin, key, value);
  return true;
}
