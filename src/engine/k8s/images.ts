/**
 * Container image references (`[host[:port]/]path[:tag][@digest]`), parsed the way container
 * runtimes resolve them, and registry prefixes compared segment-wise.
 */

/** A parsed image reference; `name` is the fully-qualified repository (`docker.io/library/nginx`). */
export interface ImageRef {
  /** Registry host (with port), lower case; `docker.io` for Docker Hub. */
  registry: string;
  /** Repository path inside the registry (`library/nginx` for `nginx`). */
  repository: string;
  /** `registry/repository`. */
  name: string;
  /** The tag, when one is written (an empty tag after `:` counts as none). */
  tag?: string;
  /** The digest after `@` (`sha256:…`), when one is written. */
  digest?: string;
}

/** Whether the first path segment of a reference names a registry host (the distribution rule). */
function isHost(segment: string): boolean {
  return (
    segment.includes('.') ||
    segment.includes(':') ||
    segment === 'localhost' ||
    segment !== segment.toLowerCase()
  );
}

function normalizeHost(host: string): string {
  const h = host.toLowerCase();
  return h === 'index.docker.io' ? 'docker.io' : h;
}

/**
 * Parse an image reference the way container runtimes do: `[host[:port]/]path[:tag][@digest]`.
 * The first segment is a host only when it contains `.` or `:`, is `localhost`, or has upper-case
 * letters; otherwise the image is on Docker Hub, and single-segment names are `library/` images.
 * A `:` before the last `/` belongs to a host port (`registry:5000/app` has no tag).
 */
export function parseImageRef(image: string): ImageRef | undefined {
  if (image === '' || image.trim() !== image) return undefined;
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const named = at >= 0 ? image.slice(0, at) : image;
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  let tag: string | undefined;
  let path = named;
  if (colon > slash) {
    tag = named.slice(colon + 1);
    path = named.slice(0, colon);
  }
  if (path === '') return undefined;
  const first = path.indexOf('/');
  let registry = 'docker.io';
  let repository = path;
  if (first >= 0 && isHost(path.slice(0, first))) {
    registry = normalizeHost(path.slice(0, first));
    repository = path.slice(first + 1);
  }
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  const ref: ImageRef = { registry, repository, name: `${registry}/${repository}` };
  if (tag) ref.tag = tag;
  if (digest) ref.digest = digest;
  return ref;
}

/** An image whose content may change under the same reference: `:latest`, or no tag and no digest. */
export const isMutable = (ref: ImageRef): boolean =>
  ref.digest === undefined && (ref.tag === undefined || ref.tag === 'latest');

/**
 * Normalise an allowed-registry prefix for comparison with {@link ImageRef.name}: lower-case host,
 * `index.docker.io` → `docker.io`, no trailing `/`; a prefix whose first segment is not a host is a
 * Docker Hub path (`bitnami` → `docker.io/bitnami`).
 */
export function normalizeRegistryPrefix(prefix: string): string {
  let p = prefix.trim();
  while (p.endsWith('/')) p = p.slice(0, -1);
  if (p === '') return '';
  const slash = p.indexOf('/');
  const head = slash >= 0 ? p.slice(0, slash) : p;
  if (isHost(head)) return normalizeHost(head) + (slash >= 0 ? p.slice(slash) : '');
  return `docker.io/${p}`;
}

/** Whether a fully-qualified image name lies under a normalised prefix (segment-wise, not by characters). */
export function underPrefix(name: string, prefix: string): boolean {
  return name === prefix || (name.startsWith(prefix) && name.charCodeAt(prefix.length) === 47); /* / */
}
