import type { PolicyStatement } from '@flotilla/model';

/** Where the controller's role may act: the cluster's partition, region and account. */
export interface LoadBalancerControllerScope {
  readonly partition: string;
  /** The cluster's region; `*` gives upstream's unscoped ARNs (the test compares with the vendored policy). */
  readonly region: string;
  /** The cluster's account; `*` as for `region`. */
  readonly account: string;
}

/**
 * AWS Load Balancer Controller's recommended IAM policy (kubernetes-sigs/aws-load-balancer-controller
 * v3.5.0 `docs/install/iam_policy.json`, vendored in `libs/upstream/iam/aws-load-balancer-controller/`),
 * statement for statement, with every EC2 and Elastic Load Balancing ARN narrowed from `*:*` to the
 * cluster's region and account. Creation and tag changes stay conditioned on the
 * `elbv2.k8s.aws/cluster` tag as upstream writes them. `aws-load-balancer-controller-iam.test.ts`
 * fails when this list and the vendored file differ (apart from that narrowing): update both together.
 */
export function loadBalancerControllerStatements(scope: LoadBalancerControllerScope): PolicyStatement[] {
  const arn = (service: 'ec2' | 'elasticloadbalancing') => `arn:${scope.partition}:${service}:${scope.region}:${scope.account}:`;
  return [
    { actions: ['iam:CreateServiceLinkedRole'], resources: ['*'], conditions: {'StringEquals': {'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com'}} },
    { actions: ['ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways', 'ec2:DescribeVpcs', 'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags', 'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools', 'ec2:GetSecurityGroupsForVpc', 'ec2:DescribeIpamPools', 'ec2:DescribeRouteTables', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores', 'elasticloadbalancing:DescribeListenerAttributes', 'elasticloadbalancing:DescribeCapacityReservation'], resources: ['*'] },
    { actions: ['cognito-idp:DescribeUserPoolClient', 'acm:ListCertificates', 'acm:DescribeCertificate', 'iam:ListServerCertificates', 'iam:GetServerCertificate', 'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL', 'wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL', 'shield:GetSubscriptionState', 'shield:DescribeProtection', 'shield:CreateProtection', 'shield:DeleteProtection'], resources: ['*'] },
    { actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], resources: ['*'] },
    { actions: ['ec2:CreateSecurityGroup'], resources: ['*'] },
    { actions: ['ec2:CreateTags'], resources: [`${arn('ec2')}security-group/*`], conditions: {'StringEquals': {'ec2:CreateAction': 'CreateSecurityGroup'}, 'Null': {'aws:RequestTag/elbv2.k8s.aws/cluster': 'false'}} },
    { actions: ['ec2:CreateTags', 'ec2:DeleteTags'], resources: [`${arn('ec2')}security-group/*`], conditions: {'Null': {'aws:RequestTag/elbv2.k8s.aws/cluster': 'true', 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false'}} },
    { actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'], resources: ['*'], conditions: {'Null': {'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false'}} },
    { actions: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'], resources: ['*'], conditions: {'Null': {'aws:RequestTag/elbv2.k8s.aws/cluster': 'false'}} },
    { actions: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule'], resources: ['*'] },
    { actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], resources: [`${arn('elasticloadbalancing')}targetgroup/*/*`, `${arn('elasticloadbalancing')}loadbalancer/net/*/*`, `${arn('elasticloadbalancing')}loadbalancer/app/*/*`], conditions: {'Null': {'aws:RequestTag/elbv2.k8s.aws/cluster': 'true', 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false'}} },
    { actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], resources: [`${arn('elasticloadbalancing')}listener/net/*/*/*`, `${arn('elasticloadbalancing')}listener/app/*/*/*`, `${arn('elasticloadbalancing')}listener-rule/net/*/*/*`, `${arn('elasticloadbalancing')}listener-rule/app/*/*/*`] },
    { actions: ['elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyListenerAttributes', 'elasticloadbalancing:ModifyCapacityReservation', 'elasticloadbalancing:ModifyIpPools'], resources: ['*'], conditions: {'Null': {'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false'}} },
    { actions: ['elasticloadbalancing:AddTags'], resources: [`${arn('elasticloadbalancing')}targetgroup/*/*`, `${arn('elasticloadbalancing')}loadbalancer/net/*/*`, `${arn('elasticloadbalancing')}loadbalancer/app/*/*`], conditions: {'StringEquals': {'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer']}, 'Null': {'aws:RequestTag/elbv2.k8s.aws/cluster': 'false'}} },
    { actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], resources: [`${arn('elasticloadbalancing')}targetgroup/*/*`] },
    { actions: ['elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities'], resources: ['*'] },
  ];
}
