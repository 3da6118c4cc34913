// What the instance-types tests share: DescribeInstanceTypes answers in the EC2 API's shape.
export * from './describe-instance-types.fixtures';
