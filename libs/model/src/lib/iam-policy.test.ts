import { describe, expect, it } from 'vitest';
import { policyDocumentJson, trustPolicyJson, validateStatement, type PolicyStatement } from './iam-policy';

const read: PolicyStatement = { sid: 'Read', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] };

describe('policyDocumentJson', () => {
  it('writes IAM JSON in IAM key order, a single action or resource as a string', () => {
    expect(policyDocumentJson([read, { effect: 'Deny', actions: ['s3:PutObject', 's3:DeleteObject'], resources: ['*'], conditions: { Bool: { 'aws:SecureTransport': false } } }])).toBe(
      '{"Version":"2012-10-17","Statement":[' +
        '{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"},' +
        '{"Effect":"Deny","Action":["s3:PutObject","s3:DeleteObject"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}}]}',
    );
  });

  it('writes one-element lists with alwaysLists (the Lambda execution roles)', () => {
    expect(policyDocumentJson([read], { alwaysLists: true })).toBe(
      '{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::bucket/*"]}]}',
    );
  });
});

describe('trustPolicyJson', () => {
  it('writes one Allow statement per principal', () => {
    expect(JSON.parse(trustPolicyJson([{ principal: { Service: 'lambda.amazonaws.com' }, actions: ['sts:AssumeRole'] }]))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
  });
});

describe('validateStatement', () => {
  it('accepts a scoped statement', () => {
    expect(() => validateStatement(read, 'role x')).not.toThrow();
  });

  it('rejects a service wildcard, a malformed action, and empty lists, naming the statement', () => {
    expect(() => validateStatement({ sid: 'All', actions: ['s3:*'], resources: ['*'] }, 'role x')).toThrow("role x statement 'All' allows 's3:*'");
    expect(() => validateStatement({ actions: ['GetObject'], resources: ['*'] }, 'role x')).toThrow("role x statement has action 'GetObject'; write actions as 'service:Action'");
    expect(() => validateStatement({ actions: [], resources: ['*'] }, 'role x')).toThrow('role x statement has no actions');
    expect(() => validateStatement({ actions: ['s3:GetObject'], resources: [] }, 'role x')).toThrow('role x statement has no resources');
  });

  it('allows a broad Deny (a guard rail, not a grant)', () => {
    expect(() => validateStatement({ effect: 'Deny', actions: ['iam:*'], resources: ['*'] }, 'boundary')).not.toThrow();
  });
});
