// An S3 server on loopback for the live S3 check (tests/live/test-s3.sh).
//
//   node s3-server.js PORT DATADIR ACCESS_KEY SECRET [BUCKET...]
//
// Prints "READY 127.0.0.1:PORT" once it listens. @20minutes/s3rver 4.0.4
// verifies SigV4 signatures (s3rver 3.x checks only the key id), so a wrong
// secret gets 403 SignatureDoesNotMatch as from AWS. Its package ships no
// working bin/ script, hence this wrapper.
'use strict';
const S3rver = require('@20minutes/s3rver');
const AWSAccount = require('@20minutes/s3rver/lib/models/account');

const [port, dir, key, secret, ...buckets] = process.argv.slice(2);
if (!port || !dir || !key || !secret) {
  console.error('usage: node s3-server.js PORT DATADIR ACCESS_KEY SECRET [BUCKET...]');
  process.exit(2);
}
// Our key pair only: the built-in S3RVER:S3RVER pair must not let a probe
// with the wrong keys in.
AWSAccount.DUMMY_ACCOUNT.createKeyPair(key, secret);
AWSAccount.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');

const srv = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory: dir,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name, configs: [] })),
});
srv.run().then(
  ({ address, port: p }) => console.log(`READY ${address}:${p}`),
  (err) => { console.error(`s3-server: ${err.message}`); process.exit(1); },
);
const stop = () => srv.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
