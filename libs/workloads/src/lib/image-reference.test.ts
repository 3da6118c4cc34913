import { describe, expect, test } from 'vitest';
import { ImageReference } from './image-reference';

const DIGEST = 'sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';

describe('ImageReference', () => {
  test.each([
    ['public.ecr.aws/nginx/nginx:1.29.3', 'public.ecr.aws', 'nginx/nginx', '1.29.3', undefined],
    ['localhost:5000/app:dev-1', 'localhost:5000', 'app', 'dev-1', undefined],
    [`111111111111.dkr.ecr.eu-north-1.amazonaws.com/dj/http-echo:1.0.0@${DIGEST}`, '111111111111.dkr.ecr.eu-north-1.amazonaws.com', 'dj/http-echo', '1.0.0', DIGEST],
    [`ghcr.io/acme/web@${DIGEST}`, 'ghcr.io', 'acme/web', undefined, DIGEST],
  ])('parses %s', (reference, registry, repository, tag, digest) => {
    // WHEN
    const image = ImageReference.parse(reference);
    // THEN
    expect({ registry: image.registry, repository: image.repository, tag: image.tag, digest: image.digest }).toEqual({ registry, repository, tag, digest });
    expect(image.toString()).toBe(reference);
  });

  test('builds from parts and reports whether a digest is pinned', () => {
    const image = ImageReference.of({ registry: 'public.ecr.aws', repository: 'nginx/nginx', tag: '1.29.3' });
    expect(image.toString()).toBe('public.ecr.aws/nginx/nginx:1.29.3');
    expect(image.pinned).toBe(false);
    expect(ImageReference.of({ registry: 'public.ecr.aws', repository: 'nginx/nginx', digest: DIGEST }).pinned).toBe(true);
  });

  test('requireDigest passes pinned images through', () => {
    const image = ImageReference.parse(`public.ecr.aws/nginx/nginx:1.29.3@${DIGEST}`);
    expect(image.requireDigest()).toBe(image);
  });

  test('fails if requireDigest meets a tag-only image', () => {
    expect(() => ImageReference.parse('public.ecr.aws/nginx/nginx:1.29.3').requireDigest('images.v1')).toThrow(/'images.v1' \('public.ecr.aws\/nginx\/nginx:1.29.3'\) must pin a digest/);
  });

  test('fails if the registry is implicit', () => {
    expect(() => ImageReference.parse('nginx:1.29.3')).toThrow(/must start with its registry host/);
    expect(() => ImageReference.parse('library/nginx:1.29.3')).toThrow(/must start with its registry host/);
  });

  test('fails if neither tag nor digest is given', () => {
    expect(() => ImageReference.parse('public.ecr.aws/nginx/nginx')).toThrow(/give a tag .* or a digest/);
  });

  test('fails if the tag is latest', () => {
    expect(() => ImageReference.parse('public.ecr.aws/nginx/nginx:latest')).toThrow(/tag 'latest' does not name one image/);
  });

  test('fails if the repository has uppercase letters', () => {
    expect(() => ImageReference.parse('public.ecr.aws/Nginx/nginx:1.0')).toThrow(/repository 'Nginx\/nginx' must be/);
  });

  test('fails if the digest is malformed', () => {
    expect(() => ImageReference.parse('public.ecr.aws/nginx/nginx:1.0@sha256:abc')).toThrow(/digest 'sha256:abc' must be 'sha256:' followed by 64/);
  });

  test('fails if the tag has forbidden characters', () => {
    expect(() => ImageReference.of({ registry: 'ghcr.io', repository: 'a/b', tag: '-bad' })).toThrow(/tag '-bad' must be/);
  });
});
