public import Foundation

/// The `CREATE EXTERNAL TABLE` statement for a trail's logs in Athena, as AWS documents it
/// ([partition projection](https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html),
/// [organization trails](https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-org-wide-trail.html)):
/// AWS's columns, CloudTrail's input format, and projected partitions `account` and `region` (enums of the
/// accounts and regions given) and `timestamp` (the day folder, `YYYY/MM/DD`), so no partition is ever
/// loaded by hand and a query that names its days reads only those days' files.
///
/// Athena runs DDL in Hive's dialect, not Trino's: this statement is Hive SQL.
public struct AthenaCloudTrailTable: Sendable, Equatable {
    /// The table, `table` or `database.table`.
    public var table: String
    /// `s3://bucket/prefix/AWSLogs/<organization id>/` (or `…/AWSLogs/` for accounts' own trails), with a
    /// closing slash.
    public var location: String
    /// The accounts whose folders are projected.
    public var accounts: [String]
    /// The regions whose folders are projected.
    public var regions: [String]
    /// The first day projected.
    public var since: Date

    /// Checks and keeps the table's settings.
    /// - Throws: `CollectError.invalidOptions` for a table name, location, account or region of the wrong form.
    public init(table: String, location: String, accounts: [String], regions: [String], since: Date) throws {
        try AthenaSweepQuery.checkTable(table)
        var location = location
        if !location.hasSuffix("/") { location += "/" }
        guard location.hasPrefix("s3://"), location.count > 6,
            location.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f && $0 != "'" && $0 != "\\" }),
            location.hasSuffix("/AWSLogs/") || location.contains("/AWSLogs/o-")
        else {
            throw CollectError(
                .invalidOptions,
                "--trail-bucket '\(location)' is not where CloudTrail delivers: give s3://BUCKET/[PREFIX/]AWSLogs/ORG_ID/ for an organization trail."
            )
        }
        guard !accounts.isEmpty, accounts.allSatisfy(SweepTerms.isAccountId) else {
            throw CollectError(.invalidOptions, "The table needs the 12-digit ids of the accounts it covers.")
        }
        guard !regions.isEmpty,
            regions.allSatisfy({
                $0.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
            })
        else {
            throw CollectError(.invalidOptions, "The table needs the regions it covers, such as us-east-1.")
        }
        self.table = table
        self.location = location
        self.accounts = Array(Set(accounts)).sorted()
        self.regions = Array(Set(regions)).sorted()
        self.since = since
    }

    /// The statement.
    public var ddl: String {
        let name = table.split(separator: ".").map { "`\($0.lowercased())`" }.joined(separator: ".")
        return """
            CREATE EXTERNAL TABLE \(name) (
              eventversion STRING,
              useridentity STRUCT<
                type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING,
                accesskeyid: STRING, username: STRING,
                onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
                sessioncontext: STRUCT<
                  attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
                  sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
                  ec2roledelivery: STRING,
                  webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING, STRING>>>>,
              eventtime STRING,
              eventsource STRING,
              eventname STRING,
              awsregion STRING,
              sourceipaddress STRING,
              useragent STRING,
              errorcode STRING,
              errormessage STRING,
              requestparameters STRING,
              responseelements STRING,
              additionaleventdata STRING,
              requestid STRING,
              eventid STRING,
              readonly STRING,
              resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
              eventtype STRING,
              apiversion STRING,
              recipientaccountid STRING,
              serviceeventdetails STRING,
              sharedeventid STRING,
              vpcendpointid STRING,
              vpcendpointaccountid STRING,
              eventcategory STRING,
              addendum STRUCT<reason: STRING, updatedfields: STRING, originalrequestid: STRING, originaleventid: STRING>,
              sessioncredentialfromconsole STRING,
              edgedevicedetails STRING,
              tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>
            )
            PARTITIONED BY (`account` STRING, `region` STRING, `timestamp` STRING)
            ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
            STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
            OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
            LOCATION '\(location)'
            TBLPROPERTIES (
              'projection.enabled'='true',
              'projection.account.type'='enum',
              'projection.account.values'='\(accounts.joined(separator: ","))',
              'projection.region.type'='enum',
              'projection.region.values'='\(regions.joined(separator: ","))',
              'projection.timestamp.type'='date',
              'projection.timestamp.format'='yyyy/MM/dd',
              'projection.timestamp.interval'='1',
              'projection.timestamp.interval.unit'='DAYS',
              'projection.timestamp.range'='\(AthenaSweepQuery.day(since)),NOW',
              'storage.location.template'='\(location)${account}/CloudTrail/${region}/${timestamp}')
            """
    }
}
