// A tiny static file server for the e2e tests: serves one directory on 127.0.0.1 at a free
// port, with the MIME types a wasm page needs (application/wasm enables streaming compile).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * @param {string} dir the directory to serve (its index.html answers "/")
 * @param {Record<string, string>} mounts more directories under URL prefixes, e.g.
 *   `{'/bench/': 'tests/bench/speed'}` (the speed benchmark serves its pages beside dist/)
 * @param {Record<string, string>} headers sent with every file, e.g. a Content-Security-Policy
 * @param {{gzip?: boolean}} options gzip: compress (level 9) for clients that accept it, as a
 *   static host does (the benchmarks of download time; the e2e tests read raw lengths)
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function serveDirectory(dir, mounts = {}, headers = {}, { gzip = false } = {}) {
  const compressed = new Map();
  const server = createServer(async (req, res) => {
    try {
      const { pathname: requested } = new URL(req.url, 'http://localhost');
      const prefix = Object.keys(mounts).find((p) => requested.startsWith(p));
      const root = resolve(prefix ? mounts[prefix] : dir);
      const pathname = prefix ? requested.slice(prefix.length - 1) : requested;
      let path = normalize(join(root, decodeURIComponent(pathname)));
      if (path !== root && !path.startsWith(root + sep)) return send(res, 403, 'forbidden');
      if ((await stat(path).catch(() => null))?.isDirectory()) path = join(path, 'index.html');
      let body = await readFile(path).catch(() => null);
      // The page links no icon; answer the browser's automatic request without a 404 error.
      if (!body) return pathname === '/favicon.ico' ? send(res, 204, '') : send(res, 404, 'not found');
      const encode = gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      if (encode) {
        if (!compressed.has(path)) compressed.set(path, gzipSync(body, { level: 9 }));
        body = compressed.get(path);
      }
      res.writeHead(200, {
        'content-type': MIME[extname(path)] ?? 'application/octet-stream',
        'content-length': body.length, // the page shows download progress against it
        'cache-control': 'no-store',
        ...(encode ? { 'content-encoding': 'gzip' } : {}),
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      send(res, 500, String(error));
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    // Keep-alive sockets of a closed browser would hold close() open for minutes: cut them.
    close: () => new Promise((ok) => (server.close(() => ok()), server.closeAllConnections())),
  };
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}
