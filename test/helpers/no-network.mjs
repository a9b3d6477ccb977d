// Preloaded with `node --import` in the offline test: any attempt to open a network connection or
// resolve a name is reported on stderr and ends the process with exit code 99.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

const deny = (what) => () => {
  process.stderr.write(`NETWORK ATTEMPT: ${what}\n`);
  process.exit(99);
};
net.Socket.prototype.connect = deny('net.Socket.connect');
net.connect = net.createConnection = deny('net.connect');
tls.connect = deny('tls.connect');
dns.lookup = deny('dns.lookup');
dns.promises.lookup = deny('dns.promises.lookup');
http.request = http.get = deny('http.request');
https.request = https.get = deny('https.request');
globalThis.fetch = deny('fetch');
