//! The API's vocabulary: every enum-valued field cosell reasons about, spelled once, exactly as
//! the service models spell it, with the rules that read it named (`Stage::is_open`,
//! `ReviewStatus::locks_every_field`, …) instead of re-typed wherever they are needed.
//!
//! A value a newer service sends and this version does not know survives as `Unknown(text)`: it is
//! shown and stored as received, and every predicate treats it conservatively.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How people and flags may spell a value: any case, with spaces, underscores, hyphens and
/// slashes ignored (`action required`, `ACTION_REQUIRED` and `Action Required` are one value).
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($variant,)+
            /// A value this version of cosell does not know, kept as the service sent it.
            Unknown(String),
        }

        impl $name {
            /// Every known value, in the order this module declares them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The same values as the API spells them.
            pub const VALUES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Unknown(text) => text,
                }
            }

            /// A value exactly as the API sent it.
            pub fn from_api(text: &str) -> $name {
                match text {
                    $($text => $name::$variant,)+
                    other => $name::Unknown(other.to_string()),
                }
            }

            /// A value as a person or a flag spells it; `None` when it is no known value.
            pub fn parse_loose(text: &str) -> Option<$name> {
                let wanted = fold(text);
                Self::ALL.iter().find(|v| fold(v.as_str()) == wanted).cloned()
            }

            /// Like `parse_loose`, with an error that lists what is allowed.
            pub fn parse_or_list(text: &str) -> Result<$name, String> {
                Self::parse_loose(text).ok_or_else(|| {
                    format!("'{text}' is not a value Partner Central knows; use one of: {}", Self::VALUES.join(", "))
                })
            }
        }

        /// No value: empty and unknown, so no predicate mistakes it for a real one.
        impl Default for $name {
            fn default() -> $name {
                $name::Unknown(String::new())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> $name {
                $name::from_api(text)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let text = String::deserialize(deserializer)?;
                Ok($name::from_api(&text))
            }
        }
    };
}

vocabulary!(
    /// The partner's sales stage (LifeCycle.Stage), in funnel order.
    Stage {
        Prospect => "Prospect",
        Qualified => "Qualified",
        TechnicalValidation => "Technical Validation",
        BusinessValidation => "Business Validation",
        Committed => "Committed",
        Launched => "Launched",
        ClosedLost => "Closed Lost",
    }
);

impl Stage {
    /// Live pipeline: not yet won (Launched) or lost. A value cosell does not know counts as
    /// open, so nothing is hidden from the pipeline by a newer stage name.
    pub fn is_open(&self) -> bool {
        !matches!(self, Stage::Launched | Stage::ClosedLost)
    }

    /// AWS's advice about submitting from this stage, when there is some. Partner Central accepts
    /// submissions at every stage (Prospect was seen to submit), so this is a warning to show
    /// before the user goes on, never a refusal.
    pub fn submission_advice(&self) -> Option<&'static str> {
        match self {
            Stage::Prospect => Some(
                "⚠ Stage Prospect: AWS advises maturing prospects to Qualified before submitting (Partner Central accepts it anyway).",
            ),
            Stage::ClosedLost => Some(
                "⚠ Stage Closed Lost: AWS advises that lost deals are not suitable for co-sell (Partner Central accepts it anyway).",
            ),
            _ => None,
        }
    }
}

vocabulary!(
    /// Where AWS's review of an opportunity stands (LifeCycle.ReviewStatus).
    ReviewStatus {
        PendingSubmission => "Pending Submission",
        Submitted => "Submitted",
        InReview => "In review",
        Approved => "Approved",
        Rejected => "Rejected",
        ActionRequired => "Action Required",
    }
);

impl ReviewStatus {
    /// AWS has seen the opportunity: only then does GetAwsOpportunitySummary have something to
    /// say. An absent status is Pending Submission.
    pub fn is_shared_with_aws(status: Option<&ReviewStatus>) -> bool {
        status.is_some_and(|s| *s != ReviewStatus::PendingSubmission)
    }

    /// Submitted and In review: AWS is reviewing, and every update is refused until it ends.
    pub fn is_under_review(&self) -> bool {
        matches!(self, ReviewStatus::Submitted | ReviewStatus::InReview)
    }
}

vocabulary!(
    /// The state of an engagement invitation (a referral or a lead), the open one first.
    InvitationStatus {
        Pending => "PENDING",
        Accepted => "ACCEPTED",
        Rejected => "REJECTED",
        Expired => "EXPIRED",
    }
);

vocabulary!(
    /// What an engagement invitation carries.
    PayloadType {
        OpportunityInvitation => "OpportunityInvitation",
        LeadInvitation => "LeadInvitation",
    }
);

vocabulary!(
    /// Which side of an invitation this partner is on.
    ParticipantType {
        Sender => "SENDER",
        Receiver => "RECEIVER",
    }
);

vocabulary!(
    SolutionStatus {
        Active => "Active",
        Inactive => "Inactive",
        Draft => "Draft",
    }
);

vocabulary!(
    /// The kind of a partner connection.
    ConnectionType {
        OpportunityCollaboration => "OPPORTUNITY_COLLABORATION",
        Subsidiary => "SUBSIDIARY",
    }
);

impl ConnectionType {
    /// `opportunity collaboration`, for sentences and cells.
    pub fn words(&self) -> String {
        self.as_str().to_lowercase().replace('_', " ")
    }
}

vocabulary!(
    ConnectionTypeStatus {
        Active => "ACTIVE",
        Canceled => "CANCELED",
    }
);

vocabulary!(
    ConnectionInvitationStatus {
        Pending => "PENDING",
        Accepted => "ACCEPTED",
        Rejected => "REJECTED",
        Canceled => "CANCELED",
        Expired => "EXPIRED",
    }
);

vocabulary!(
    /// The state of an asynchronous Partner Central task.
    TaskStatus {
        InProgress => "IN_PROGRESS",
        Complete => "COMPLETE",
        Failed => "FAILED",
    }
);

vocabulary!(
    Industry {
        Aerospace => "Aerospace",
        Agriculture => "Agriculture",
        Automotive => "Automotive",
        ComputersAndElectronics => "Computers and Electronics",
        ConsumerGoods => "Consumer Goods",
        Education => "Education",
        EnergyOilAndGas => "Energy - Oil and Gas",
        EnergyPowerAndUtilities => "Energy - Power and Utilities",
        FinancialServices => "Financial Services",
        Gaming => "Gaming",
        Government => "Government",
        Healthcare => "Healthcare",
        Hospitality => "Hospitality",
        LifeSciences => "Life Sciences",
        Manufacturing => "Manufacturing",
        MarketingAndAdvertising => "Marketing and Advertising",
        MediaAndEntertainment => "Media and Entertainment",
        Mining => "Mining",
        NonProfitOrganization => "Non-Profit Organization",
        ProfessionalServices => "Professional Services",
        RealEstateAndConstruction => "Real Estate and Construction",
        Retail => "Retail",
        SoftwareAndInternet => "Software and Internet",
        Telecommunications => "Telecommunications",
        TransportationAndLogistics => "Transportation and Logistics",
        Travel => "Travel",
        WholesaleAndDistribution => "Wholesale and Distribution",
        Other => "Other",
    }
);

vocabulary!(
    ClosedLostReason {
        CustomerDeficiency => "Customer Deficiency",
        DelayCancellationOfProject => "Delay / Cancellation of Project",
        LegalTaxRegulatory => "Legal / Tax / Regulatory",
        LostToCompetitorGoogle => "Lost to Competitor - Google",
        LostToCompetitorMicrosoft => "Lost to Competitor - Microsoft",
        LostToCompetitorSoftLayer => "Lost to Competitor - SoftLayer",
        LostToCompetitorVmware => "Lost to Competitor - VMWare",
        LostToCompetitorOther => "Lost to Competitor - Other",
        NoOpportunity => "No Opportunity",
        OnPremisesDeployment => "On Premises Deployment",
        PartnerGap => "Partner Gap",
        Price => "Price",
        SecurityCompliance => "Security / Compliance",
        TechnicalLimitations => "Technical Limitations",
        CustomerExperience => "Customer Experience",
        Other => "Other",
        PeopleRelationshipGovernance => "People/Relationship/Governance",
        ProductTechnology => "Product/Technology",
        FinancialCommercial => "Financial/Commercial",
    }
);

vocabulary!(
    PrimaryNeed {
        ArchitecturalValidation => "Co-Sell - Architectural Validation",
        BusinessPresentation => "Co-Sell - Business Presentation",
        CompetitiveInformation => "Co-Sell - Competitive Information",
        PricingAssistance => "Co-Sell - Pricing Assistance",
        TechnicalConsultation => "Co-Sell - Technical Consultation",
        TotalCostOfOwnership => "Co-Sell - Total Cost of Ownership Evaluation",
        DealSupport => "Co-Sell - Deal Support",
        PublicTender => "Co-Sell - Support for Public Tender / RFx",
    }
);

vocabulary!(
    /// Project.DeliveryModels: how the partner delivers the solution.
    DeliveryModel {
        SaasOrPaas => "SaaS or PaaS",
        ByolOrAmi => "BYOL or AMI",
        ManagedServices => "Managed Services",
        ProfessionalServices => "Professional Services",
        Resell => "Resell",
        Other => "Other",
    }
);

vocabulary!(
    /// Project.SalesActivities: what has happened with the customer so far.
    SalesActivity {
        Initialized => "Initialized discussions with customer",
        ShownInterest => "Customer has shown interest in solution",
        PocDemo => "Conducted POC / Demo",
        Evaluating => "In evaluation / planning stage",
        AgreedSolution => "Agreed on solution to Business Problem",
        ActionPlan => "Completed Action Plan",
        DeploymentNeed => "Finalized Deployment Need",
        SowSigned => "SOW Signed",
    }
);

vocabulary!(
    /// Marketing.Channels: where the marketing reached the customer.
    MarketingChannel {
        MarketingCentral => "AWS Marketing Central",
        ContentSyndication => "Content Syndication",
        Display => "Display",
        Email => "Email",
        LiveEvent => "Live Event",
        OutOfHome => "Out Of Home (OOH)",
        Print => "Print",
        Search => "Search",
        Social => "Social",
        Telemarketing => "Telemarketing",
        Tv => "TV",
        Video => "Video",
        VirtualEvent => "Virtual Event",
    }
);

vocabulary!(
    OpportunityType {
        NetNewBusiness => "Net New Business",
        FlatRenewal => "Flat Renewal",
        Expansion => "Expansion",
    }
);

vocabulary!(
    /// How much AWS is asked to do when an opportunity is submitted.
    InvolvementType {
        CoSell => "Co-Sell",
        ForVisibilityOnly => "For Visibility Only",
    }
);

vocabulary!(
    Visibility {
        Full => "Full",
        Limited => "Limited",
    }
);

vocabulary!(
    /// The reasons AWS suggests for declining a referral; the API takes free text (80 chars).
    RejectionReason {
        CustomerProblemUnclear => "Customer problem unclear",
        NextStepsUnclear => "Next steps unclear",
        UnableToSupport => "Unable to support",
        DuplicateOfPartnerReferral => "Duplicate of partner referral",
        Other => "Other",
    }
);

/// Every country code the API takes (CountryCode in the selling service model, in its order),
/// with its ISO 3166 name so a picker can be searched by either.
pub const COUNTRIES: &[(&str, &str)] = &[
    ("US", "United States"),
    ("AF", "Afghanistan"),
    ("AX", "Åland Islands"),
    ("AL", "Albania"),
    ("DZ", "Algeria"),
    ("AS", "American Samoa"),
    ("AD", "Andorra"),
    ("AO", "Angola"),
    ("AI", "Anguilla"),
    ("AQ", "Antarctica"),
    ("AG", "Antigua and Barbuda"),
    ("AR", "Argentina"),
    ("AM", "Armenia"),
    ("AW", "Aruba"),
    ("AU", "Australia"),
    ("AT", "Austria"),
    ("AZ", "Azerbaijan"),
    ("BS", "Bahamas"),
    ("BH", "Bahrain"),
    ("BD", "Bangladesh"),
    ("BB", "Barbados"),
    ("BY", "Belarus"),
    ("BE", "Belgium"),
    ("BZ", "Belize"),
    ("BJ", "Benin"),
    ("BM", "Bermuda"),
    ("BT", "Bhutan"),
    ("BO", "Bolivia"),
    ("BQ", "Bonaire, Sint Eustatius and Saba"),
    ("BA", "Bosnia and Herzegovina"),
    ("BW", "Botswana"),
    ("BV", "Bouvet Island"),
    ("BR", "Brazil"),
    ("IO", "British Indian Ocean Territory"),
    ("BN", "Brunei Darussalam"),
    ("BG", "Bulgaria"),
    ("BF", "Burkina Faso"),
    ("BI", "Burundi"),
    ("KH", "Cambodia"),
    ("CM", "Cameroon"),
    ("CA", "Canada"),
    ("CV", "Cabo Verde"),
    ("KY", "Cayman Islands"),
    ("CF", "Central African Republic"),
    ("TD", "Chad"),
    ("CL", "Chile"),
    ("CN", "China"),
    ("CX", "Christmas Island"),
    ("CC", "Cocos (Keeling) Islands"),
    ("CO", "Colombia"),
    ("KM", "Comoros"),
    ("CG", "Congo"),
    ("CK", "Cook Islands"),
    ("CR", "Costa Rica"),
    ("CI", "Côte d'Ivoire"),
    ("HR", "Croatia"),
    ("CU", "Cuba"),
    ("CW", "Curaçao"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("CD", "Congo, The Democratic Republic of the"),
    ("DK", "Denmark"),
    ("DJ", "Djibouti"),
    ("DM", "Dominica"),
    ("DO", "Dominican Republic"),
    ("EC", "Ecuador"),
    ("EG", "Egypt"),
    ("SV", "El Salvador"),
    ("GQ", "Equatorial Guinea"),
    ("ER", "Eritrea"),
    ("EE", "Estonia"),
    ("ET", "Ethiopia"),
    ("FK", "Falkland Islands (Malvinas)"),
    ("FO", "Faroe Islands"),
    ("FJ", "Fiji"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("GF", "French Guiana"),
    ("PF", "French Polynesia"),
    ("TF", "French Southern Territories"),
    ("GA", "Gabon"),
    ("GM", "Gambia"),
    ("GE", "Georgia"),
    ("DE", "Germany"),
    ("GH", "Ghana"),
    ("GI", "Gibraltar"),
    ("GR", "Greece"),
    ("GL", "Greenland"),
    ("GD", "Grenada"),
    ("GP", "Guadeloupe"),
    ("GU", "Guam"),
    ("GT", "Guatemala"),
    ("GG", "Guernsey"),
    ("GN", "Guinea"),
    ("GW", "Guinea-Bissau"),
    ("GY", "Guyana"),
    ("HT", "Haiti"),
    ("HM", "Heard Island and McDonald Islands"),
    ("VA", "Holy See (Vatican City State)"),
    ("HN", "Honduras"),
    ("HK", "Hong Kong"),
    ("HU", "Hungary"),
    ("IS", "Iceland"),
    ("IN", "India"),
    ("ID", "Indonesia"),
    ("IR", "Iran"),
    ("IQ", "Iraq"),
    ("IE", "Ireland"),
    ("IM", "Isle of Man"),
    ("IL", "Israel"),
    ("IT", "Italy"),
    ("JM", "Jamaica"),
    ("JP", "Japan"),
    ("JE", "Jersey"),
    ("JO", "Jordan"),
    ("KZ", "Kazakhstan"),
    ("KE", "Kenya"),
    ("KI", "Kiribati"),
    ("KR", "South Korea"),
    ("KW", "Kuwait"),
    ("KG", "Kyrgyzstan"),
    ("LA", "Laos"),
    ("LV", "Latvia"),
    ("LB", "Lebanon"),
    ("LS", "Lesotho"),
    ("LR", "Liberia"),
    ("LY", "Libya"),
    ("LI", "Liechtenstein"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("MO", "Macao"),
    ("MK", "North Macedonia"),
    ("MG", "Madagascar"),
    ("MW", "Malawi"),
    ("MY", "Malaysia"),
    ("MV", "Maldives"),
    ("ML", "Mali"),
    ("MT", "Malta"),
    ("MH", "Marshall Islands"),
    ("MQ", "Martinique"),
    ("MR", "Mauritania"),
    ("MU", "Mauritius"),
    ("YT", "Mayotte"),
    ("MX", "Mexico"),
    ("FM", "Micronesia, Federated States of"),
    ("MD", "Moldova"),
    ("MC", "Monaco"),
    ("MN", "Mongolia"),
    ("ME", "Montenegro"),
    ("MS", "Montserrat"),
    ("MA", "Morocco"),
    ("MZ", "Mozambique"),
    ("MM", "Myanmar"),
    ("NA", "Namibia"),
    ("NR", "Nauru"),
    ("NP", "Nepal"),
    ("NL", "Netherlands"),
    ("AN", "Netherlands Antilles"),
    ("NC", "New Caledonia"),
    ("NZ", "New Zealand"),
    ("NI", "Nicaragua"),
    ("NE", "Niger"),
    ("NG", "Nigeria"),
    ("NU", "Niue"),
    ("NF", "Norfolk Island"),
    ("MP", "Northern Mariana Islands"),
    ("NO", "Norway"),
    ("OM", "Oman"),
    ("PK", "Pakistan"),
    ("PW", "Palau"),
    ("PS", "Palestine, State of"),
    ("PA", "Panama"),
    ("PG", "Papua New Guinea"),
    ("PY", "Paraguay"),
    ("PE", "Peru"),
    ("PH", "Philippines"),
    ("PN", "Pitcairn"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("PR", "Puerto Rico"),
    ("QA", "Qatar"),
    ("RE", "Réunion"),
    ("RO", "Romania"),
    ("RU", "Russian Federation"),
    ("RW", "Rwanda"),
    ("BL", "Saint Barthélemy"),
    ("SH", "Saint Helena, Ascension and Tristan da Cunha"),
    ("KN", "Saint Kitts and Nevis"),
    ("LC", "Saint Lucia"),
    ("MF", "Saint Martin (French part)"),
    ("PM", "Saint Pierre and Miquelon"),
    ("VC", "Saint Vincent and the Grenadines"),
    ("WS", "Samoa"),
    ("SM", "San Marino"),
    ("ST", "Sao Tome and Principe"),
    ("SA", "Saudi Arabia"),
    ("SN", "Senegal"),
    ("RS", "Serbia"),
    ("SC", "Seychelles"),
    ("SL", "Sierra Leone"),
    ("SG", "Singapore"),
    ("SX", "Sint Maarten (Dutch part)"),
    ("SK", "Slovakia"),
    ("SI", "Slovenia"),
    ("SB", "Solomon Islands"),
    ("SO", "Somalia"),
    ("ZA", "South Africa"),
    ("GS", "South Georgia and the South Sandwich Islands"),
    ("SS", "South Sudan"),
    ("ES", "Spain"),
    ("LK", "Sri Lanka"),
    ("SD", "Sudan"),
    ("SR", "Suriname"),
    ("SJ", "Svalbard and Jan Mayen"),
    ("SZ", "Eswatini"),
    ("SE", "Sweden"),
    ("CH", "Switzerland"),
    ("SY", "Syria"),
    ("TW", "Taiwan"),
    ("TJ", "Tajikistan"),
    ("TZ", "Tanzania"),
    ("TH", "Thailand"),
    ("TL", "Timor-Leste"),
    ("TG", "Togo"),
    ("TK", "Tokelau"),
    ("TO", "Tonga"),
    ("TT", "Trinidad and Tobago"),
    ("TN", "Tunisia"),
    ("TR", "Türkiye"),
    ("TM", "Turkmenistan"),
    ("TC", "Turks and Caicos Islands"),
    ("TV", "Tuvalu"),
    ("UG", "Uganda"),
    ("UA", "Ukraine"),
    ("AE", "United Arab Emirates"),
    ("GB", "United Kingdom"),
    ("UM", "United States Minor Outlying Islands"),
    ("UY", "Uruguay"),
    ("UZ", "Uzbekistan"),
    ("VU", "Vanuatu"),
    ("VE", "Venezuela"),
    ("VN", "Vietnam"),
    ("VG", "Virgin Islands, British"),
    ("VI", "Virgin Islands, U.S."),
    ("WF", "Wallis and Futuna"),
    ("EH", "Western Sahara"),
    ("YE", "Yemen"),
    ("ZM", "Zambia"),
    ("ZW", "Zimbabwe"),
];

/// The country code a person typed, as a code (any case) or an exact name; `None` otherwise.
pub fn country_code(text: &str) -> Option<&'static str> {
    let wanted = text.trim();
    COUNTRIES
        .iter()
        .find(|(code, name)| code.eq_ignore_ascii_case(wanted) || name.eq_ignore_ascii_case(wanted))
        .map(|(code, _)| *code)
}

/// Every currency code the API takes (CurrencyCode in the selling service model), the common
/// ones first, with its ISO 4217 name.
pub const CURRENCIES: &[(&str, &str)] = &[
    ("USD", "US Dollar"),
    ("EUR", "Euro"),
    ("GBP", "Pound Sterling"),
    ("JPY", "Yen"),
    ("AUD", "Australian Dollar"),
    ("CAD", "Canadian Dollar"),
    ("INR", "Indian Rupee"),
    ("BRL", "Brazilian Real"),
    ("SGD", "Singapore Dollar"),
    ("CHF", "Swiss Franc"),
    ("CNY", "Yuan Renminbi"),
    ("NZD", "New Zealand Dollar"),
    ("SEK", "Swedish Krona"),
    ("AED", "UAE Dirham"),
    ("AFN", "Afghani"),
    ("ALL", "Lek"),
    ("AMD", "Armenian Dram"),
    ("ANG", "Netherlands Antillean Guilder"),
    ("AOA", "Kwanza"),
    ("ARS", "Argentine Peso"),
    ("AWG", "Aruban Florin"),
    ("AZN", "Azerbaijan Manat"),
    ("BAM", "Convertible Mark"),
    ("BBD", "Barbados Dollar"),
    ("BDT", "Taka"),
    ("BGN", "Bulgarian Lev"),
    ("BHD", "Bahraini Dinar"),
    ("BIF", "Burundi Franc"),
    ("BMD", "Bermudian Dollar"),
    ("BND", "Brunei Dollar"),
    ("BOB", "Boliviano"),
    ("BOV", "Mvdol"),
    ("BSD", "Bahamian Dollar"),
    ("BTN", "Ngultrum"),
    ("BWP", "Pula"),
    ("BYN", "Belarusian Ruble"),
    ("BZD", "Belize Dollar"),
    ("CDF", "Congolese Franc"),
    ("CHE", "WIR Euro"),
    ("CHW", "WIR Franc"),
    ("CLF", "Unidad de Fomento"),
    ("CLP", "Chilean Peso"),
    ("COP", "Colombian Peso"),
    ("COU", "Unidad de Valor Real"),
    ("CRC", "Costa Rican Colon"),
    ("CUC", "Peso Convertible"),
    ("CUP", "Cuban Peso"),
    ("CVE", "Cabo Verde Escudo"),
    ("CZK", "Czech Koruna"),
    ("DJF", "Djibouti Franc"),
    ("DKK", "Danish Krone"),
    ("DOP", "Dominican Peso"),
    ("DZD", "Algerian Dinar"),
    ("EGP", "Egyptian Pound"),
    ("ERN", "Nakfa"),
    ("ETB", "Ethiopian Birr"),
    ("FJD", "Fiji Dollar"),
    ("FKP", "Falkland Islands Pound"),
    ("GEL", "Lari"),
    ("GHS", "Ghana Cedi"),
    ("GIP", "Gibraltar Pound"),
    ("GMD", "Dalasi"),
    ("GNF", "Guinean Franc"),
    ("GTQ", "Quetzal"),
    ("GYD", "Guyana Dollar"),
    ("HKD", "Hong Kong Dollar"),
    ("HNL", "Lempira"),
    ("HRK", "Kuna"),
    ("HTG", "Gourde"),
    ("HUF", "Forint"),
    ("IDR", "Rupiah"),
    ("ILS", "New Israeli Sheqel"),
    ("IQD", "Iraqi Dinar"),
    ("IRR", "Iranian Rial"),
    ("ISK", "Iceland Krona"),
    ("JMD", "Jamaican Dollar"),
    ("JOD", "Jordanian Dinar"),
    ("KES", "Kenyan Shilling"),
    ("KGS", "Som"),
    ("KHR", "Riel"),
    ("KMF", "Comorian Franc"),
    ("KPW", "North Korean Won"),
    ("KRW", "Won"),
    ("KWD", "Kuwaiti Dinar"),
    ("KYD", "Cayman Islands Dollar"),
    ("KZT", "Tenge"),
    ("LAK", "Lao Kip"),
    ("LBP", "Lebanese Pound"),
    ("LKR", "Sri Lanka Rupee"),
    ("LRD", "Liberian Dollar"),
    ("LSL", "Loti"),
    ("LYD", "Libyan Dinar"),
    ("MAD", "Moroccan Dirham"),
    ("MDL", "Moldovan Leu"),
    ("MGA", "Malagasy Ariary"),
    ("MKD", "Denar"),
    ("MMK", "Kyat"),
    ("MNT", "Tugrik"),
    ("MOP", "Pataca"),
    ("MRU", "Ouguiya"),
    ("MUR", "Mauritius Rupee"),
    ("MVR", "Rufiyaa"),
    ("MWK", "Malawi Kwacha"),
    ("MXN", "Mexican Peso"),
    ("MXV", "Mexican Unidad de Inversion (UDI)"),
    ("MYR", "Malaysian Ringgit"),
    ("MZN", "Mozambique Metical"),
    ("NAD", "Namibia Dollar"),
    ("NGN", "Naira"),
    ("NIO", "Cordoba Oro"),
    ("NOK", "Norwegian Krone"),
    ("NPR", "Nepalese Rupee"),
    ("OMR", "Rial Omani"),
    ("PAB", "Balboa"),
    ("PEN", "Sol"),
    ("PGK", "Kina"),
    ("PHP", "Philippine Peso"),
    ("PKR", "Pakistan Rupee"),
    ("PLN", "Zloty"),
    ("PYG", "Guarani"),
    ("QAR", "Qatari Rial"),
    ("RON", "Romanian Leu"),
    ("RSD", "Serbian Dinar"),
    ("RUB", "Russian Ruble"),
    ("RWF", "Rwanda Franc"),
    ("SAR", "Saudi Riyal"),
    ("SBD", "Solomon Islands Dollar"),
    ("SCR", "Seychelles Rupee"),
    ("SDG", "Sudanese Pound"),
    ("SHP", "Saint Helena Pound"),
    ("SLL", "Leone"),
    ("SOS", "Somali Shilling"),
    ("SRD", "Surinam Dollar"),
    ("SSP", "South Sudanese Pound"),
    ("STN", "Dobra"),
    ("SVC", "El Salvador Colon"),
    ("SYP", "Syrian Pound"),
    ("SZL", "Lilangeni"),
    ("THB", "Baht"),
    ("TJS", "Somoni"),
    ("TMT", "Turkmenistan New Manat"),
    ("TND", "Tunisian Dinar"),
    ("TOP", "Pa’anga"),
    ("TRY", "Turkish Lira"),
    ("TTD", "Trinidad and Tobago Dollar"),
    ("TWD", "New Taiwan Dollar"),
    ("TZS", "Tanzanian Shilling"),
    ("UAH", "Hryvnia"),
    ("UGX", "Uganda Shilling"),
    ("USN", "US Dollar (Next day)"),
    ("UYI", "Uruguay Peso en Unidades Indexadas (UI)"),
    ("UYU", "Peso Uruguayo"),
    ("UZS", "Uzbekistan Sum"),
    ("VEF", "Bolívar (2008–2018)"),
    ("VND", "Dong"),
    ("VUV", "Vatu"),
    ("WST", "Tala"),
    ("XAF", "CFA Franc BEAC"),
    ("XCD", "East Caribbean Dollar"),
    ("XDR", "SDR (Special Drawing Right)"),
    ("XOF", "CFA Franc BCEAO"),
    ("XPF", "CFP Franc"),
    ("XSU", "Sucre"),
    ("XUA", "ADB Unit of Account"),
    ("YER", "Yemeni Rial"),
    ("ZAR", "Rand"),
    ("ZMW", "Zambian Kwacha"),
    ("ZWL", "Zimbabwe Dollar"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_people_may_spell_them_loosely() {
        assert_eq!(Stage::ALL.len(), Stage::VALUES.len());
        for (value, text) in ReviewStatus::ALL.iter().zip(ReviewStatus::VALUES) {
            assert_eq!(value.as_str(), *text);
            assert_eq!(ReviewStatus::from_api(text), *value);
        }
        assert_eq!(
            ReviewStatus::parse_loose("action required"),
            Some(ReviewStatus::ActionRequired)
        );
        assert_eq!(Stage::parse_loose("qualified"), Some(Stage::Qualified));
        assert_eq!(Stage::parse_loose("closed_lost"), Some(Stage::ClosedLost));
        assert_eq!(Stage::parse_loose("Closed Won"), None);
        let refused = InvitationStatus::parse_or_list("Foo").unwrap_err();
        assert!(
            refused.contains("PENDING") && refused.contains("EXPIRED"),
            "{refused}"
        );
    }

    #[test]
    fn unknown_values_survive_and_predicates_stay_conservative() {
        let newer: Stage = serde_json::from_str("\"Negotiation\"").unwrap();
        assert_eq!(newer, Stage::Unknown("Negotiation".into()));
        assert_eq!(serde_json::to_string(&newer).unwrap(), "\"Negotiation\"");
        assert!(
            newer.is_open(),
            "an unknown stage is not dropped from the pipeline"
        );
        assert!(!Stage::Launched.is_open() && !Stage::ClosedLost.is_open());
        assert!(Stage::Prospect < Stage::Qualified && Stage::Committed < Stage::Launched);
        assert!(!ReviewStatus::is_shared_with_aws(None));
        assert!(ReviewStatus::is_shared_with_aws(Some(
            &ReviewStatus::Approved
        )));
    }
}
