/** The tenant the construct tests place their objects in. */
export const TEAM_A = { name: 'team-a', namespace: 'team-a', costCenter: 'cc-1001' };

/** A master-user secret as RDS names it when it manages the password (`rds!db-<uuid>-<suffix>`). */
export const RDS_MASTER_SECRET_ARN = 'arn:aws:secretsmanager:eu-north-1:111111111111:secret:rds!db-3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b-Ab12Cd';
