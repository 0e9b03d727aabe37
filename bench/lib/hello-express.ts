/** The baseline of the HTTP row: a bare Express 5 hello-world, nothing else. */
import express from 'express';
import type { AddressInfo } from 'node:net';

const app = express();
app.get('/', (_req, res) => {
  res.send('Hello World!');
});
const server = app.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
