import { describe, expect, it } from 'vitest';
import { parseRegistry, repositoryReference } from './registry-endpoint';

describe('parseRegistry', () => {
  it('uses HTTPS by default and plain HTTP only for this machine', () => {
    expect(parseRegistry('222222222222.dkr.ecr.eu-north-1.amazonaws.com/flotilla')).toEqual({ scheme: 'https', host: '222222222222.dkr.ecr.eu-north-1.amazonaws.com', prefix: 'flotilla' });
    expect(parseRegistry('127.0.0.1:5000/flotilla/test')).toEqual({ scheme: 'http', host: '127.0.0.1:5000', prefix: 'flotilla/test' });
    expect(parseRegistry('localhost:5000')).toEqual({ scheme: 'http', host: 'localhost:5000', prefix: '' });
    expect(parseRegistry('https://localhost:5000/x').scheme).toBe('https');
    expect(parseRegistry('http://127.0.0.1:5000/x').scheme).toBe('http');
  });

  it('refuses plain HTTP to any other host, and malformed values, naming the fix', () => {
    expect(() => parseRegistry('http://10.0.0.5:5000/flotilla', 'prod')).toThrow(
      "cluster prod: registry 'http://10.0.0.5:5000/flotilla': plain HTTP is allowed only for localhost or 127.0.0.1; use https:// (or no scheme) for 10.0.0.5:5000",
    );
    expect(() => parseRegistry('http://localhost.example.com/x')).toThrow('plain HTTP is allowed only for localhost or 127.0.0.1');
    expect(() => parseRegistry('registry.example.com/Upper')).toThrow("registry 'registry.example.com/Upper' is not '[https://]host[:port]/prefix'");
  });

  it('names repositories without scheme, as signatures and Flux do', () => {
    expect(repositoryReference(parseRegistry('127.0.0.1:5000/flotilla'), 'prod')).toBe('127.0.0.1:5000/flotilla/prod');
    expect(repositoryReference(parseRegistry('registry.example.com'), 'prod')).toBe('registry.example.com/prod');
  });
});
