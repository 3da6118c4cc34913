import { describe, expect, it } from 'vitest';
import { SIGNING_PROFILES, SignatureValidity, signingProfileArn, signingProfileObjectName, signingProfileVersionArn } from './signing-profiles';

describe('signing profiles', () => {
  it('names the two profiles with Signer-legal names and their platforms', () => {
    expect(SIGNING_PROFILES.images).toEqual({ name: 'flotilla_images', platformId: 'Notation-OCI-SHA384-ECDSA' });
    expect(SIGNING_PROFILES.lambda).toEqual({ name: 'flotilla_lambda', platformId: 'AWSLambda-SHA384-ECDSA' });
    expect(signingProfileObjectName(SIGNING_PROFILES.images)).toBe('flotilla-images');
  });

  it('derives profile and profile version ARNs in the region’s partition', () => {
    const prod = { account: '222222222222', region: 'eu-north-1' };
    expect(signingProfileArn(prod, SIGNING_PROFILES.images)).toBe('arn:aws:signer:eu-north-1:222222222222:/signing-profiles/flotilla_images');
    expect(signingProfileVersionArn(prod, SIGNING_PROFILES.lambda, '2oCN6RHYVI')).toBe('arn:aws:signer:eu-north-1:222222222222:/signing-profiles/flotilla_lambda/2oCN6RHYVI');
    expect(signingProfileArn({ account: '333333333333', region: 'cn-north-1' }, SIGNING_PROFILES.images)).toMatch(/^arn:aws-cn:signer:cn-north-1:/);
  });

  it('fails if a profile version is not a Signer version id', () => {
    expect(() => signingProfileVersionArn({ account: '222222222222', region: 'eu-north-1' }, SIGNING_PROFILES.lambda, 'latest')).toThrow(/not a Signer version id/);
  });

  it('types the validity period within Signer’s range', () => {
    expect(SignatureValidity.months(135)).toMatchObject({ value: 135, type: 'MONTHS' });
    expect(SignatureValidity.days(30)).toMatchObject({ value: 30, type: 'DAYS' });
    expect(() => SignatureValidity.years(12)).toThrow(/1 day to 135 months/);
    expect(() => SignatureValidity.months(0)).toThrow(/out of range/);
  });
});
