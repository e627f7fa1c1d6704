extension AWS {
    /// IAM calls (global).
    public var iam: IAM { IAM(client: self) }
    /// STS calls.
    public var sts: STS { STS(client: self) }
    /// EC2 calls in the client's region.
    public var ec2: EC2 { EC2(client: self) }
    /// CloudTrail calls in the client's region.
    public var cloudTrail: CloudTrail { CloudTrail(client: self) }
    /// Organizations calls (global).
    public var organizations: Organizations { Organizations(client: self) }
    /// GuardDuty calls in the client's region.
    public var guardDuty: GuardDuty { GuardDuty(client: self) }
    /// S3 calls in the client's region.
    public var s3: S3 { S3(client: self) }
    /// Account Management calls (global).
    public var accountManagement: AccountManagement { AccountManagement(client: self) }
    /// Athena calls in the client's region.
    public var athena: Athena { Athena(client: self) }
}
