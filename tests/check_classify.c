/* check_classify.c - the pcre2 entry point (limits, errors never read as
 * "no match") and the field-name classifiers of rules/classifiers.xml:
 * normalisation, true positives across naming styles, true negatives,
 * sample values, the cache, threads, broken classifier files, and that
 * every element the policy declares has a classifier. */
#include "config.h"

#include "classify.h"
#include "diag.h"
#include "pattern.h"
#include "sha256.h"
#include "strbuf.h"
#include "xml.h"

#include <check.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define POLICY_NS "urn:privcheck:policy:1"

static char classifiers_path[4096], schema_path[4096], policy_path[4096];
static struct classify_set *cs; /* loaded once, shared by the tests */

static const char *
srcdir(void)
{
    const char *s = getenv("SRCDIR");

    return s != NULL && s[0] != '\0' ? s : PC_SRCDIR;
}

static void
setup_paths(void)
{
    snprintf(classifiers_path, sizeof classifiers_path,
             "%s/rules/classifiers.xml", srcdir());
    snprintf(schema_path, sizeof schema_path, "%s/rules/classifiers.rng",
             srcdir());
    snprintf(policy_path, sizeof policy_path, "%s/policy/serenepractice.xml",
             srcdir());
}

static void
print_diags(const pc_diags *d)
{
    if (pc_diags_count(d) > 0)
        pc_diags_print(d, stderr);
}

static void
load_set(void)
{
    pc_diags *d = pc_diags_new();
    pc_status st;

    setup_paths();
    st = classify_load(classifiers_path, schema_path, d, &cs);
    print_diags(d);
    pc_diags_free(d);
    if (st != PC_OK) {
        fprintf(stderr, "cannot load %s: %s\n", classifiers_path,
                pc_status_str(st));
        exit(1);
    }
}

static void
free_set(void)
{
    classify_free(cs);
    cs = NULL;
}

/* Does some diagnostic contain every one of the NULL-terminated needles? */
static bool
diag_has(const pc_diags *d, ...)
{
    for (size_t i = 0; i < pc_diags_count(d); i++) {
        const char *msg = pc_diags_get(d, i)->message;
        const char *needle;
        bool all = true;
        va_list ap;

        va_start(ap, d);
        while ((needle = va_arg(ap, const char *)) != NULL)
            if (strstr(msg, needle) == NULL)
                all = false;
        va_end(ap);
        if (all)
            return true;
    }
    return false;
}

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ================================================================== */
/* Normalisation. */

static const struct {
    const char *in, *out;
} norm_cases[] = {
    { "SSN_Last4", "ssn_last4" },
    { "ssnLast4", "ssn_last4" },
    { "SSNLast4", "ssn_last4" },
    { "ccNumber", "cc_number" },
    { "IPAddress", "ip_address" },
    { "sexualOrientation", "sexual_orientation" },
    { "ipv4Address", "ipv4_address" },
    { "IPv4", "ipv4" },
    { "IPv6Address", "ipv6_address" },
    { "userIDs", "user_ids" },
    { "URLs", "urls" },
    { "IPsAllowed", "ips_allowed" },
    { "e-mail", "e_mail" },
    { "eMail", "e_mail" },
    { "EMail", "e_mail" },
    { "user.email", "user_email" },
    { "First Name", "first_name" },
    { "__typename", "typename" },
    { "a--b..c", "a_b_c" },
    { "_ga", "ga" },
    { "", "" },
    { "---", "" },
    { "ICD10Code", "icd10_code" },
    { "ICD-10-CM", "icd_10_cm" },
    { "Last4Digits", "last4_digits" },
    { "HTTPReferer", "http_referer" },
    { "X-Forwarded-For", "x_forwarded_for" },
    { "dateOfBirth", "date_of_birth" },
    { "address[0].zip", "address_0_zip" },
    { "DOB", "dob" },
    { "GPSLat", "gps_lat" },
    { "PascalCase", "pascal_case" },
    { "already_snake", "already_snake" },
    { "aB", "a_b" },
    { "A", "a" },
    { "user/profile:email", "user_profile_email" },
    { "\xc3\xa9tatCivil", "\xc3\xa9tat_civil" }, /* UTF-8 kept */
    { "naïveName", "naïve_name" },
    { "HTTPServer", "http_server" },
    { "XMLHttp", "xml_http" },
    { "Item2Count", "item2_count" },
    { "__v", "v" },
    { "user-name", "user_name" },
    { "UserName", "user_name" },
};

START_TEST(test_normalize)
{
    struct strbuf b = STRBUF_INIT(0);

    ck_assert_int_eq(classify_normalize(norm_cases[_i].in, &b), PC_OK);
    ck_assert_str_eq(strbuf_str(&b), norm_cases[_i].out);
    strbuf_free(&b);
}
END_TEST

/* ================================================================== */
/* True positives: name -> element, sensitive. Every policy element has at
 * least one (test_policy_coverage checks), and every classifier too. */

static const struct {
    const char *name, *element;
    bool sensitive;
} positives[] = {
    /* sensitive.ssn-last4 before sensitive.ssn */
    { "SSN_Last4", "sensitive.ssn-last4", true },
    { "ssnLast4", "sensitive.ssn-last4", true },
    { "ssn_last_four", "sensitive.ssn-last4", true },
    { "last4_ssn", "sensitive.ssn-last4", true },
    { "ssn4", "sensitive.ssn-last4", true },
    { "socialSecurityNumberLast4", "sensitive.ssn-last4", true },
    { "ssn", "sensitive.ssn", true },
    { "SSN", "sensitive.ssn", true },
    { "social_security_number", "sensitive.ssn", true },
    { "SocialSecurityNumber", "sensitive.ssn", true },
    { "ssn_encrypted", "sensitive.ssn", true },
    { "soc_sec_no", "sensitive.ssn", true },
    { "user-ssn", "sensitive.ssn", true },
    /* government ids and their images */
    { "id_photo", "audio-visual.government-id-image", false },
    { "photo_id", "audio-visual.government-id-image", false },
    { "drivers_license_image", "audio-visual.government-id-image", false },
    { "passportScan", "audio-visual.government-id-image", false },
    { "idCardFront", "audio-visual.government-id-image", false },
    { "government_id_upload", "audio-visual.government-id-image", false },
    { "drivers_license", "identifiers.government-id", false },
    { "driverLicenseNumber", "identifiers.government-id", false },
    { "dl_number", "identifiers.government-id", false },
    { "passport_number", "identifiers.government-id", false },
    { "national_id", "identifiers.government-id", false },
    { "government_id", "identifiers.government-id", false },
    { "id_number", "identifiers.government-id", false },
    { "photo_id_number", "identifiers.government-id", false },
    /* cards, banks, tax, insurance */
    { "cvv", "billing.card-number", true },
    { "CVC2", "billing.card-number", true },
    { "card_security_code", "billing.card-number", true },
    { "cc_number", "billing.card-number", true },
    { "ccNumber", "billing.card-number", true },
    { "card_num", "billing.card-number", true },
    { "card-number", "billing.card-number", true },
    { "pan", "billing.card-number", true },
    { "card_pan", "billing.card-number", true },
    { "credit_card", "billing.card-number", true },
    { "CreditCardNumber", "billing.card-number", true },
    { "debit_card_number", "billing.card-number", true },
    { "bank_account_number", "financial.bank-account", true },
    { "routing_number", "financial.bank-account", true },
    { "iban", "financial.bank-account", true },
    { "ein", "billing.tax-id", false },
    { "tax_id", "billing.tax-id", false },
    { "TaxID", "billing.tax-id", false },
    { "tin", "billing.tax-id", false },
    { "vat_number", "billing.tax-id", false },
    { "itin", "billing.tax-id", false },
    { "insurance_provider", "billing.insurance", false },
    { "insuranceMemberId", "billing.insurance", false },
    { "payer_id", "billing.insurance", false },
    { "medicare_number", "billing.insurance", false },
    { "policy_number", "billing.insurance", false },
    /* special categories */
    { "race", "sensitive.race-ethnicity", true },
    { "ethnicity", "sensitive.race-ethnicity", true },
    { "Race/Ethnicity", "sensitive.race-ethnicity", true },
    { "ethnic_origin", "sensitive.race-ethnicity", true },
    { "sexualOrientation", "sensitive.sexual-orientation", true },
    { "sexual_orientation", "sensitive.sexual-orientation", true },
    { "sexuality", "sensitive.sexual-orientation", true },
    { "SEXUAL-PREFERENCE", "sensitive.sexual-orientation", true },
    { "religion", "sensitive.religion", true },
    { "religious_affiliation", "sensitive.religion", true },
    { "philosophicalBeliefs", "sensitive.religion", true },
    { "faith", "sensitive.religion", true },
    { "citizenship_status", "person.citizenship", true },
    { "immigration_status", "person.citizenship", true },
    { "nationality", "person.citizenship", true },
    { "diagnosis", "health.condition", true },
    { "medical_condition", "health.condition", true },
    { "icd10", "health.condition", true },
    { "ICD-10-CM", "health.condition", true },
    { "icd10Code", "health.condition", true },
    { "medications", "health.condition", true },
    { "session_notes", "health.condition", true },
    { "mental_health_history", "health.condition", true },
    { "sexual_health", "health.condition", true },
    { "cpt_code", "health.condition", true },
    { "dna_sample", "genetic.data", true },
    { "genetic_test_results", "genetic.data", true },
    { "fingerprint", "biometric.data", true },
    { "face_template", "biometric.data", true },
    { "voiceprint", "biometric.data", true },
    { "voice_print", "biometric.data", true },
    { "FaceEmbedding", "biometric.data", true },
    { "iris_scan", "biometric.data", true },
    /* location */
    { "geoip_city", "location.coarse", false },
    { "GeoIPCountry", "location.coarse", false },
    { "ip_country", "location.coarse", false },
    { "approximate_location", "location.coarse", false },
    { "geo_region", "location.coarse", false },
    { "location_from_ip", "location.coarse", false },
    { "gps_lat", "location.precise", true },
    { "gps_lng", "location.precise", true },
    { "GPSLatitude", "location.precise", true },
    { "latitude", "location.precise", true },
    { "longitude", "location.precise", true },
    { "lat", "location.precise", true },
    { "lng", "location.precise", true },
    { "geo_point", "location.precise", true },
    { "geoPoint", "location.precise", true },
    { "precise_location", "location.precise", true },
    { "coordinates", "location.precise", true },
    { "current_location", "location.precise", true },
    { "location_history", "location.precise", true },
    /* network */
    { "ip", "identifiers.ip-address", false },
    { "ip_address", "identifiers.ip-address", false },
    { "IPAddress", "identifiers.ip-address", false },
    { "ipAddr", "identifiers.ip-address", false },
    { "IPv4", "identifiers.ip-address", false },
    { "ipv6", "identifiers.ip-address", false },
    { "remote_addr", "identifiers.ip-address", false },
    { "client_ip", "identifiers.ip-address", false },
    { "user_ip", "identifiers.ip-address", false },
    { "X-Forwarded-For", "identifiers.ip-address", false },
    { "last_sign_in_ip", "identifiers.ip-address", false },
    /* professional licence */
    { "npi", "professional.license", false },
    { "npi_number", "professional.license", false },
    { "license_number", "professional.license", false },
    { "licenseState", "professional.license", false },
    { "dea_number", "professional.license", false },
    { "professional_credentials", "professional.license", false },
    { "certifications", "professional.license", false },
    /* credentials */
    { "password", "identifiers.password", true },
    { "Password", "identifiers.password", true },
    { "passwd", "identifiers.password", true },
    { "pwd", "identifiers.password", true },
    { "password_hash", "identifiers.password", true },
    { "hashed_password", "identifiers.password", true },
    { "passphrase", "identifiers.password", true },
    { "pin", "identifiers.password", true },
    { "user.password", "identifiers.password", true },
    /* A reset token is a login credential, not the password. */
    { "password_reset_token", "sensitive.login", true },
    { "credentials", "sensitive.login", true },
    { "login_credentials", "sensitive.login", true },
    { "access_token", "sensitive.login", true },
    { "refreshToken", "sensitive.login", true },
    { "api_key", "sensitive.login", true },
    { "totp_secret", "sensitive.login", true },
    { "mfa_code", "sensitive.login", true },
    { "2faCode", "sensitive.login", true },
    { "security_answer", "sensitive.login", true },
    { "session_token", "sensitive.login", true },
    /* analytics, as the policy lists it */
    { "utm_source", "internet.analytics", false },
    { "utmCampaign", "internet.analytics", false },
    { "gclid", "internet.analytics", false },
    { "_ga", "internet.analytics", false },
    { "anonymous_id", "internet.analytics", false },
    { "last_login", "internet.analytics", false },
    { "lastLoginAt", "internet.analytics", false },
    { "login_count", "internet.analytics", false },
    { "last_active_at", "internet.analytics", false },
    { "emails_opened", "internet.analytics", false },
    { "time_zone", "internet.analytics", false },
    { "timezone", "internet.analytics", false },
    { "session_duration", "internet.analytics", false },
    /* contact preferences and message contents before contact data */
    { "email_opt_in", "profile.preferences", false },
    { "emailOptIn", "profile.preferences", false },
    { "sms_consent", "profile.preferences", false },
    { "newsletter_subscribed", "profile.preferences", false },
    { "marketing_opt_out", "profile.preferences", false },
    { "do_not_sell", "profile.preferences", false },
    { "unsubscribed", "profile.preferences", false },
    { "message_body", "communications.content", true },
    { "email_subject", "communications.content", true },
    { "chat_transcript", "communications.content", true },
    { "sms_text", "communications.content", true },
    { "messages", "communications.content", true },
    { "email", "identifiers.email", false },
    { "Email", "identifiers.email", false },
    { "EMAIL_ADDRESS", "identifiers.email", false },
    { "e_mail", "identifiers.email", false },
    { "e-mail", "identifiers.email", false },
    { "eMail", "identifiers.email", false },
    { "email_addr", "identifiers.email", false },
    { "emailAddress", "identifiers.email", false },
    { "work_email", "identifiers.email", false },
    { "contact_email", "identifiers.email", false },
    { "user.email", "identifiers.email", false },
    { "emails", "identifiers.email", false },
    { "email_hash", "identifiers.email", false },
    /* log data */
    { "user_agent", "internet.log", false },
    { "userAgent", "internet.log", false },
    { "User-Agent", "internet.log", false },
    { "browser", "internet.log", false },
    { "browser_version", "internet.log", false },
    { "os_version", "internet.log", false },
    { "device_type", "internet.log", false },
    { "device_id", "internet.log", false },
    { "device_fingerprint", "internet.log", false },
    /* A session id is the bearer credential of a logged-in session. */
    { "session_id", "sensitive.login", true },
    { "sid", "internet.log", false },
    { "mac_address", "internet.log", false },
    { "idfa", "internet.log", false },
    { "access_log", "internet.log", false },
    { "is_mobile", "internet.log", false },
    { "visited_at", "internet.log", false },
    { "mobile_app_version", "internet.log", false },
    { "request_line", "internet.log", false },
    { "phone", "identifiers.phone", false },
    { "phone_number", "identifiers.phone", false },
    { "phoneNumber", "identifiers.phone", false },
    { "PhoneNo", "identifiers.phone", false },
    { "mobile", "identifiers.phone", false },
    { "mobile_number", "identifiers.phone", false },
    { "cell_phone", "identifiers.phone", false },
    { "telephone", "identifiers.phone", false },
    { "fax", "identifiers.phone", false },
    { "msisdn", "identifiers.phone", false },
    { "home_phone", "identifiers.phone", false },
    { "emergency_contact_phone", "identifiers.phone", false },
    { "phone_country_code", "identifiers.phone", false },
    /* professional */
    { "calendar_events", "calendar.events", false },
    { "calendarEvent", "calendar.events", false },
    { "gcal_events", "calendar.events", false },
    { "event_description", "calendar.events", false },
    { "google_calendar_event", "calendar.events", false },
    { "calendar", "professional.scheduling", false },
    { "availability", "professional.scheduling", false },
    { "appointment_time", "professional.scheduling", false },
    { "schedule", "professional.scheduling", false },
    { "office_hours", "professional.scheduling", false },
    { "booking_slot", "professional.scheduling", false },
    { "business_name", "professional.business-name", false },
    { "company", "professional.business-name", false },
    { "companyName", "professional.business-name", false },
    { "practice_name", "professional.business-name", false },
    { "dba", "professional.business-name", false },
    { "employer", "professional.business-name", false },
    { "practice_address", "professional.business-info", false },
    { "business_website", "professional.business-info", false },
    { "specialties", "professional.business-info", false },
    { "years_in_practice", "professional.business-info", false },
    { "bio", "professional.business-info", false },
    { "website", "professional.business-info", false },
    { "job_title", "professional.business-info", false },
    { "practice_details", "professional.business-info", false },
    /* identity */
    { "username", "identifiers.username", false },
    { "user_name", "identifiers.username", false },
    { "UserName", "identifiers.username", false },
    { "login", "identifiers.username", false },
    { "screen_name", "identifiers.username", false },
    { "display_name", "identifiers.username", false },
    /* A nickname is what a person is called; a handle is a login. */
    { "nickname", "identifiers.name", false },
    { "nick", "identifiers.username", false },
    { "twitter_handle", "identifiers.username", false },
    { "handle", "identifiers.username", false },
    { "google_id", "identifiers.username", false },
    { "linkedin_url", "identifiers.username", false },
    { "name", "identifiers.name", false },
    { "first_name", "identifiers.name", false },
    { "firstName", "identifiers.name", false },
    { "FirstName", "identifiers.name", false },
    { "FIRST_NAME", "identifiers.name", false },
    { "first-name", "identifiers.name", false },
    { "last_name", "identifiers.name", false },
    { "lastname", "identifiers.name", false },
    { "full_name", "identifiers.name", false },
    { "fullName", "identifiers.name", false },
    { "surname", "identifiers.name", false },
    { "given_name", "identifiers.name", false },
    { "fname", "identifiers.name", false },
    { "lname", "identifiers.name", false },
    { "middle_initial", "identifiers.name", false },
    { "customer_name", "identifiers.name", false },
    { "patient_name", "identifiers.name", false },
    { "card_holder_name", "identifiers.name", false },
    { "cardholderName", "identifiers.name", false },
    { "legal_name", "identifiers.name", false },
    { "preferred_name", "identifiers.name", false },
    { "colleague_name", "identifiers.name", false },
    { "requester_name", "identifiers.name", false },
    { "dob", "person.birth-date", false },
    { "DOB", "person.birth-date", false },
    { "date_of_birth", "person.birth-date", false },
    { "dateOfBirth", "person.birth-date", false },
    { "birthdate", "person.birth-date", false },
    { "birth_date", "person.birth-date", false },
    { "birthday", "person.birth-date", false },
    { "bday", "person.birth-date", false },
    { "birth_year", "person.birth-date", false },
    { "age", "person.age", false },
    { "user_age", "person.age", false },
    { "age_range", "person.age", false },
    { "is_minor", "person.age", false },
    { "is_over_18", "person.age", false },
    { "gender", "person.gender", false },
    { "sex", "person.gender", false },
    { "gender_identity", "person.gender", false },
    { "pronouns", "person.gender", false },
    /* audio-visual */
    { "photo", "audio-visual.photo", false },
    { "photo_url", "audio-visual.photo", false },
    { "avatar", "audio-visual.photo", false },
    { "avatar_url", "audio-visual.photo", false },
    { "avatarUrl", "audio-visual.photo", false },
    { "profile_picture", "audio-visual.photo", false },
    { "profilePic", "audio-visual.photo", false },
    { "headshot", "audio-visual.photo", false },
    { "selfie", "audio-visual.photo", false },
    { "voice", "audio-visual.voice", false },
    { "voice_recording", "audio-visual.voice", false },
    { "voicemail", "audio-visual.voice", false },
    { "call_recording", "audio-visual.voice", false },
    { "audio_message", "audio-visual.voice", false },
    { "microphone_stream", "audio-visual.voice", false },
    { "video", "audio-visual.video", false },
    { "video_url", "audio-visual.video", false },
    { "webcam_recording", "audio-visual.video", false },
    { "testimonial_video", "audio-visual.video", false },
    { "session_video", "audio-visual.video", false },
    /* internet */
    { "search_query", "internet.search-history", false },
    { "searchTerm", "internet.search-history", false },
    { "q", "internet.search-history", false },
    { "query", "internet.search-history", false },
    { "recent_searches", "internet.search-history", false },
    { "search_history", "internet.search-history", false },
    { "page_url", "internet.browsing", false },
    { "pageUrl", "internet.browsing", false },
    { "url", "internet.browsing", false },
    { "referrer", "internet.browsing", false },
    { "referer", "internet.browsing", false },
    { "http_referer", "internet.browsing", false },
    { "HTTPReferer", "internet.browsing", false },
    { "landing_page", "internet.browsing", false },
    { "page_views", "internet.browsing", false },
    { "browsing_history", "internet.browsing", false },
    { "browser_history", "internet.browsing", false },
    { "clickstream", "internet.browsing", false },
    { "ad_clicks", "internet.interactions", false },
    { "ad_impressions", "internet.interactions", false },
    { "clicks", "internet.interactions", false },
    { "interactions", "internet.interactions", false },
    { "scroll_depth", "internet.interactions", false },
    { "session_replay", "internet.interactions", false },
    { "events", "internet.interactions", false },
    { "button_clicks", "internet.interactions", false },
    /* commercial and profile */
    { "purchase_history", "commercial.purchases", false },
    { "orders", "commercial.purchases", false },
    { "order_id", "commercial.purchases", false },
    { "transactions", "commercial.purchases", false },
    { "subscription_plan", "commercial.purchases", false },
    { "invoice_items", "commercial.purchases", false },
    { "cart_items", "commercial.purchases", false },
    { "ce_courses", "commercial.purchases", false },
    { "plan", "commercial.purchases", false },
    { "preferences", "profile.preferences", false },
    { "language", "profile.preferences", false },
    { "locale", "profile.preferences", false },
    { "theme", "profile.preferences", false },
    { "favorites", "profile.preferences", false },
    { "interests", "profile.preferences", false },
    { "notification_preferences", "profile.preferences", false },
    { "personality_traits", "profile.characteristics", false },
    { "inferred_income", "profile.characteristics", false },
    { "predicted_churn", "profile.characteristics", false },
    { "propensity_to_buy", "profile.characteristics", false },
    { "marital_status", "profile.characteristics", false },
    { "lead_score", "profile.characteristics", false },
    { "segment", "profile.characteristics", false },
    { "education_level", "profile.characteristics", false },
    /* catch-alls */
    { "user_id", "identifiers.username", false },
    { "userId", "identifiers.username", false },
    { "UserID", "identifiers.username", false },
    { "customer_id", "identifiers.username", false },
    { "account_id", "identifiers.username", false },
    { "patient_id", "identifiers.username", false },
    { "member_number", "identifiers.username", false },
    { "uid", "identifiers.username", false },
    { "mrn", "identifiers.username", false },
    { "address", "identifiers.mailing-address", false },
    { "mailing_address", "identifiers.mailing-address", false },
    { "street_address", "identifiers.mailing-address", false },
    { "address_line1", "identifiers.mailing-address", false },
    { "addressLine2", "identifiers.mailing-address", false },
    { "address2", "identifiers.mailing-address", false },
    { "zip", "identifiers.mailing-address", false },
    { "zip_code", "identifiers.mailing-address", false },
    { "zipCode", "identifiers.mailing-address", false },
    { "postal_code", "identifiers.mailing-address", false },
    { "postcode", "identifiers.mailing-address", false },
    { "city", "identifiers.mailing-address", false },
    { "state", "identifiers.mailing-address", false },
    { "country", "identifiers.mailing-address", false },
    { "billing_address", "identifiers.mailing-address", false },
    { "shipping_city", "identifiers.mailing-address", false },
    { "home_address", "identifiers.mailing-address", false },
    { "po_box", "identifiers.mailing-address", false },
    { "apt_number", "identifiers.mailing-address", false },
    { "address.zip", "identifiers.mailing-address", false },
    /* a client is a patient: client_address is a home, not a socket */
    { "client_address", "identifiers.mailing-address", false },
};

/* True positives that depend on the context the name is read in. */
static const struct {
    const char *name, *context, *element;
} ctx_positives[] = {
    { "phone", "organizations", "professional.business-info" },
    { "city", "spree_stock_locations", "professional.business-info" },
    { "city", "users", "identifiers.mailing-address" },
    { "coded_allergen", "allergy", "health.condition" },
    { "temperature", "gnuhealth.patient.evaluation", "health.condition" },
    { "value_numeric", "obs", "health.condition" },
    { "amount", "invoice_items", "commercial.purchases" },
    { "item_total", "spree_orders", "commercial.purchases" },
    { "start_datetime", "appointments", "professional.scheduling" },
    { "notes", "appointments", "professional.scheduling" },
    { "dateFormat", "Preferences", "profile.preferences" },
    { "user_notify_pm", "users", "profile.preferences" },
    { "token", "AuthToken", "sensitive.login" },
    { "code", "TwoFactorCode", "sensitive.login" },
    { "description", "calendar_event", "calendar.events" },
    { "provider", "insurance_data", "billing.insurance" },
    { "GroupNum", "InsPlan", "billing.insurance" },
    { "name", "organizations", "professional.business-name" },
    { "name", "users", "identifiers.name" },
    { "displayName", "messageParticipant", "identifiers.name" },
    { "handle", "connectedAccount", "identifiers.email" },
    { "body", "thread_entry", "communications.content" },
    { "name", "Email", "communications.content" },
    { "external_key", "accounts", "identifiers.username" },
    { "identifier", "patient_identifier", "identifiers.username" },
    { "code", "gnuhealth.birth_certificate", "identifiers.government-id" },
    { "bedrooms", "households", "profile.characteristics" },
    { "mark_time", "topics_track", "internet.browsing" },
    { "fingerprint", "user_devices", "internet.log" },
    { "host", "sessions", "identifiers.ip-address" },
    { "variant", "gnuhealth.patient.genetic.risk", "genetic.data" },
    { "code", "gnuhealth.healthprofessional", "professional.license" },
    { "title", "hs_hr_emp_work_experience", "professional.business-info" },
    { "phone", "emergency_contacts", "identifiers.phone" },
    { "textSearchStoringDisabled", "Preferences", "profile.preferences" },
    { "actionDate", "CampaignLogRecord", "internet.interactions" },
};

START_TEST(test_ctx_positive)
{
    pc_diags *d = pc_diags_new();
    struct classify_result r;

    ck_assert_int_eq(classify_name(cs, ctx_positives[_i].name,
                                   ctx_positives[_i].context, d,
                                   (struct pc_loc){ 0 }, &r),
                     PC_OK);
    ck_assert_msg(r.element != NULL &&
                      strcmp(r.element, ctx_positives[_i].element) == 0,
                  "\"%s\" in %s -> %s (classifier %s); expected %s",
                  ctx_positives[_i].name, ctx_positives[_i].context, r.element,
                  r.classifier, ctx_positives[_i].element);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_positive)
{
    pc_diags *d = pc_diags_new();
    struct classify_result r;
    pc_status st;

    st = classify_name(cs, positives[_i].name, NULL, d, (struct pc_loc){ 0 },
                       &r);
    print_diags(d);
    ck_assert_int_eq(st, PC_OK);
    ck_assert_msg(r.element != NULL, "\"%s\" not recognised; expected %s",
                  positives[_i].name, positives[_i].element);
    ck_assert_msg(strcmp(r.element, positives[_i].element) == 0,
                  "\"%s\" -> %s (classifier %s, pattern %s); expected %s",
                  positives[_i].name, r.element, r.classifier, r.pattern,
                  positives[_i].element);
    ck_assert_msg(r.sensitive == positives[_i].sensitive,
                  "\"%s\": sensitive is %d", positives[_i].name, r.sensitive);
    ck_assert_ptr_nonnull(r.classifier);
    ck_assert_ptr_nonnull(r.pattern);
    ck_assert_uint_gt(r.line, 0);
    pc_diags_free(d);
}
END_TEST

/* ================================================================== */
/* True negatives: nothing (or nothing sensitive) must be made of these. */

static const char *const negatives[] = {
    /* word boundaries: pan, ip, ssn, lat, pin, ga, age inside other words */
    "panel", "panels", "expand", "japan", "company_id", "span", "tip",
    "tip_amount", "ship_date", "skip", "script", "recipient", "latency",
    "latest", "pinned", "spinner", "passenger_count", "bypass", "compass",
    "gaming", "page", "page_number", "page_size", "usages_x",
    /* facts about personal data, not the data */
    "display_name_color", "email_verified", "email_template", "email_count",
    "password_changed_at", "password_policy", "pin_length", "credit_card_brand",
    "card_expiry", "card_last4", "card_fingerprint", "photo_count",
    "address_verified", "address_id", "license_key", "license_plate", "cell_id",
    "has_ssn", "ssn_verified", "gps_enabled", "latitude_delta",
    "sexual_orientation_visible", "referrer_id", "server_ip", "ip_whitelist",
    "log_level",
    /* homonyms */
    "orientation", "screen_orientation", "race_condition",
    "terms_and_conditions", "max_age", "cache_age", "long_description",
    "heading", "state_machine", "order_state", "state_id", "event_time",
    "rx_bytes", "pan_x", "zip_file",
    /* plainly not personal */
    "id", "uuid", "created_at", "updated_at", "status", "amount", "count",
    "description", "title", "type", "file_name", "product_name", "sku", "",
    "___"
};

START_TEST(test_negative)
{
    pc_diags *d = pc_diags_new();
    struct classify_result r;
    pc_status st;

    st = classify_name(cs, negatives[_i], NULL, d, (struct pc_loc){ 0 }, &r);
    print_diags(d);
    ck_assert_int_eq(st, PC_OK);
    ck_assert_msg(r.element == NULL,
                  "\"%s\" -> %s (classifier %s, pattern %s); expected "
                  "nothing",
                  negatives[_i], r.element, r.classifier, r.pattern);
    ck_assert(!r.sensitive);
    ck_assert_ptr_null(r.classifier);
    ck_assert_ptr_null(r.pattern);
    pc_diags_free(d);
}
END_TEST

/* Recognised, but must not be called sensitive. */
static const char *const not_sensitive[] = {
    "company",      "companyName",        "zip",
    "email",        "display_name",       "gender",
    "dob",          "ip_address",         "geoip_city",
    "tax_id",       "insurance_provider", "user_id",
    "phone_number", "first_name"
};

START_TEST(test_not_sensitive)
{
    pc_diags *d = pc_diags_new();
    struct classify_result r;

    ck_assert_int_eq(
        classify_name(cs, not_sensitive[_i], NULL, d, (struct pc_loc){ 0 }, &r),
        PC_OK);
    ck_assert_ptr_nonnull(r.element);
    ck_assert_msg(!r.sensitive, "\"%s\" (%s) is said to be sensitive",
                  not_sensitive[_i], r.element);
    pc_diags_free(d);
}
END_TEST

/* Every classifier is exercised by at least one true positive, with or
 * without a context. */
START_TEST(test_every_classifier_tested)
{
    pc_diags *d = pc_diags_new();
    size_t n = classify_count(cs);
    bool *seen = calloc(n, sizeof *seen);

    ck_assert_ptr_nonnull(seen);
    for (size_t i = 0; i < NELEM(positives); i++) {
        struct classify_result r;

        ck_assert_int_eq(classify_name(cs, positives[i].name, NULL, d,
                                       (struct pc_loc){ 0 }, &r),
                         PC_OK);
        for (size_t k = 0; k < n && r.classifier != NULL; k++)
            if (strcmp(classify_get(cs, k)->id, r.classifier) == 0)
                seen[k] = true;
    }
    for (size_t i = 0; i < NELEM(ctx_positives); i++) {
        struct classify_result r;

        ck_assert_int_eq(classify_name(cs, ctx_positives[i].name,
                                       ctx_positives[i].context, d,
                                       (struct pc_loc){ 0 }, &r),
                         PC_OK);
        for (size_t k = 0; k < n && r.classifier != NULL; k++)
            if (strcmp(classify_get(cs, k)->id, r.classifier) == 0)
                seen[k] = true;
    }
    for (size_t k = 0; k < n; k++)
        ck_assert_msg(seen[k], "classifier %s has no true positive",
                      classify_get(cs, k)->id);
    free(seen);
    pc_diags_free(d);
}
END_TEST

/* Every <example> of rules/classifiers.xml is classified by its classifier
 * and no <counter-example> is; every classifier has two examples or more,
 * and a counter-example for its vetoes and context conditions. All the
 * failures are listed, by classifier and line. */
START_TEST(test_file_examples)
{
    pc_diags *d = pc_diags_new();
    char *buf = NULL;
    size_t len = 0, nfail = 0, nex = 0;
    FILE *f = open_memstream(&buf, &len);

    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < classify_count(cs); i++) {
        const struct classify_info *c = classify_get(cs, i);
        size_t npos = 0, nneg = 0;

        for (size_t k = 0; k < c->nexamples; k++) {
            const struct classify_example *ex = &c->examples[k];
            struct classify_result r;
            bool mine;

            nex++;
            ck_assert_int_eq(classify_name(cs, ex->name, ex->context, d,
                                           (struct pc_loc){ 0 }, &r),
                             PC_OK);
            mine = r.classifier != NULL && strcmp(r.classifier, c->id) == 0;
            if (ex->counter)
                nneg++;
            else
                npos++;
            if (mine == !ex->counter)
                continue;
            nfail++;
            fprintf(f, "  classifiers.xml:%u: classifier %s: %s \"%s\"%s%s%s",
                    ex->line, c->id,
                    ex->counter ? "counter-example" : "example", ex->name,
                    ex->context ? " (context \"" : "",
                    ex->context ? ex->context : "", ex->context ? "\")" : "");
            if (r.classifier == NULL)
                fprintf(f, " is not recognised\n");
            else
                fprintf(f, " -> %s (classifier %s, pattern %s)\n", r.element,
                        r.classifier, r.pattern);
        }
        if (npos < 2) {
            nfail++;
            fprintf(f,
                    "  classifiers.xml:%u: classifier %s has %zu <example>; "
                    "it needs two or more\n",
                    c->line, c->id, npos);
        }
        if ((c->nnots > 0 || c->ncontextual > 0) && nneg == 0) {
            nfail++;
            fprintf(f,
                    "  classifiers.xml:%u: classifier %s has vetoes or "
                    "context conditions and no <counter-example>\n",
                    c->line, c->id);
        }
    }
    fclose(f);
    /* The list can be long: on stderr (Check truncates its messages). */
    if (nfail > 0)
        fprintf(stderr, "examples that fail:\n%s", buf);
    ck_assert_msg(nfail == 0,
                  "%zu problems with the %zu examples (listed above)", nfail,
                  nex);
    free(buf);
    pc_diags_free(d);
}
END_TEST

/* ================================================================== */
/* Sample values. */

static const struct {
    const char *value, *element; /* NULL: not recognised */
} values[] = {
    { "123-45-6789", "sensitive.ssn" },
    { "000-12-3456", NULL },
    { "666-12-3456", NULL },
    { "4111 1111 1111 1111", "billing.card-number" },
    { "4111111111111111", "billing.card-number" },
    { "5500-0000-0000-0004", "billing.card-number" },
    { "378282246310005", "billing.card-number" },
    { "DE89 3704 0044 0532 0130 00", "financial.bank-account" },
    { "12-3456789", "billing.tax-id" },
    { "37.774929,-122.419416", "location.precise" },
    { "37.77,-122.41", NULL },
    { "192.168.1.10", "identifiers.ip-address" },
    { "256.1.1.1", NULL },
    { "2001:db8::1", "identifiers.ip-address" },
    { "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "identifiers.ip-address" },
    { "12:30:45", NULL },
    { "jane.doe+tag@example.co.uk", "identifiers.email" },
    { "not an email@", NULL },
    { "+14155552671", "identifiers.phone" },
    { "(415) 555-2671", "identifiers.phone" },
    { "94103-1234", "identifiers.mailing-address" },
    { "hello", NULL },
    { "", NULL },
};

START_TEST(test_value)
{
    pc_diags *d = pc_diags_new();
    struct classify_result r;

    ck_assert_int_eq(
        classify_value(cs, values[_i].value, d, (struct pc_loc){ 0 }, &r),
        PC_OK);
    if (values[_i].element == NULL)
        ck_assert_msg(r.element == NULL, "value \"%s\" -> %s (%s)",
                      values[_i].value, r.element, r.pattern);
    else
        ck_assert_msg(
            r.element != NULL && strcmp(r.element, values[_i].element) == 0,
            "value \"%s\" -> %s; expected %s", values[_i].value,
            r.element != NULL ? r.element : "nothing", values[_i].element);
    pc_diags_free(d);
}
END_TEST

/* ================================================================== */
/* The cache. */

START_TEST(test_cache_same_answer)
{
    pc_diags *d = pc_diags_new();
    struct classify_result a, b;
    struct classify_stats s0, s1, s2;

    classify_stats(cs, &s0);
    ck_assert_int_eq(
        classify_name(cs, "cacheProbe_SSN", NULL, d, (struct pc_loc){ 0 }, &a),
        PC_OK);
    classify_stats(cs, &s1);
    ck_assert_int_eq(
        classify_name(cs, "cacheProbe_SSN", NULL, d, (struct pc_loc){ 0 }, &b),
        PC_OK);
    classify_stats(cs, &s2);
    ck_assert_str_eq(a.element, "sensitive.ssn");
    /* The very same strings, borrowed from the set. */
    ck_assert_ptr_eq(a.element, b.element);
    ck_assert_ptr_eq(a.classifier, b.classifier);
    ck_assert_ptr_eq(a.pattern, b.pattern);
    ck_assert_uint_eq(s1.misses, s0.misses + 1);
    ck_assert_uint_eq(s1.entries, s0.entries + 1);
    ck_assert_uint_eq(s2.hits, s1.hits + 1);
    ck_assert_uint_eq(s2.misses, s1.misses);
    ck_assert_uint_eq(s2.entries, s1.entries);
    /* An unrecognised name is cached too. */
    ck_assert_int_eq(classify_name(cs, "cacheProbe_nothing", NULL, d,
                                   (struct pc_loc){ 0 }, &a),
                     PC_OK);
    ck_assert_int_eq(classify_name(cs, "cacheProbe_nothing", NULL, d,
                                   (struct pc_loc){ 0 }, &b),
                     PC_OK);
    ck_assert_ptr_null(a.element);
    ck_assert_ptr_null(b.element);
    classify_stats(cs, &s1);
    ck_assert_uint_eq(s1.hits, s2.hits + 1);
    ck_assert_uint_eq(pc_diags_count(d), 0);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_cache_many_names)
{
    pc_diags *d = pc_diags_new();
    struct classify_stats s0, s1;
    char name[64];

    classify_stats(cs, &s0);
    for (int i = 0; i < 5000; i++) {
        struct classify_result r;

        snprintf(name, sizeof name, "field%d_email", i);
        ck_assert_int_eq(
            classify_name(cs, name, NULL, d, (struct pc_loc){ 0 }, &r), PC_OK);
        ck_assert_str_eq(r.element, "identifiers.email");
        snprintf(name, sizeof name, "widget%d", i);
        ck_assert_int_eq(
            classify_name(cs, name, NULL, d, (struct pc_loc){ 0 }, &r), PC_OK);
        ck_assert_ptr_null(r.element);
    }
    classify_stats(cs, &s1);
    ck_assert_uint_eq(s1.entries, s0.entries + 10000);
    /* Second pass: all hits, same answers. */
    for (int i = 0; i < 5000; i++) {
        struct classify_result r;

        snprintf(name, sizeof name, "field%d_email", i);
        ck_assert_int_eq(
            classify_name(cs, name, NULL, d, (struct pc_loc){ 0 }, &r), PC_OK);
        ck_assert_str_eq(r.element, "identifiers.email");
    }
    classify_stats(cs, &s0);
    ck_assert_uint_eq(s0.hits, s1.hits + 5000);
    ck_assert_uint_eq(s0.entries, s1.entries);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_cache_limit)
{
    pc_diags *d = pc_diags_new();
    struct classify_set *own = NULL;
    struct classify_stats s;
    char name[64];

    ck_assert_int_eq(classify_load(classifiers_path, schema_path, d, &own),
                     PC_OK);
    classify_set_cache_limit(own, 10);
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 50; i++) {
            struct classify_result r;

            snprintf(name, sizeof name, "home_phone_%d", i);
            ck_assert_int_eq(
                classify_name(own, name, NULL, d, (struct pc_loc){ 0 }, &r),
                PC_OK);
            /* Past the bound the answer is still right. */
            ck_assert_str_eq(r.element, "identifiers.phone");
        }
    classify_stats(own, &s);
    ck_assert_uint_eq(s.entries, 10);
    ck_assert_uint_eq(s.hits, 10);
    ck_assert_uint_eq(s.misses, 90);
    classify_free(own);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_name_too_long)
{
    pc_diags *d = pc_diags_new();
    char *name = malloc(CLASSIFY_MAX_NAME + 2);
    struct classify_result r;

    ck_assert_ptr_nonnull(name);
    memset(name, 'a', CLASSIFY_MAX_NAME + 1);
    name[CLASSIFY_MAX_NAME + 1] = '\0';
    ck_assert_int_eq(classify_name(cs, name, NULL, d, (struct pc_loc){ 0 }, &r),
                     PC_ELIMIT);
    ck_assert_ptr_null(r.element);
    ck_assert(diag_has(d, "field name", "limit", NULL));
    /* At the limit it is fine. */
    name[CLASSIFY_MAX_NAME] = '\0';
    ck_assert_int_eq(classify_name(cs, name, NULL, d, (struct pc_loc){ 0 }, &r),
                     PC_OK);
    free(name);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_invalid_utf8_name)
{
    pc_diags *d = pc_diags_new();
    struct classify_result r;
    struct pc_loc loc = diag_loc(d, "app.xml", 7, 0);

    ck_assert_int_eq(classify_name(cs, "bad\xff_name", NULL, d, loc, &r),
                     PC_EINVALID);
    ck_assert_ptr_null(r.element);
    ck_assert(diag_has(d, "UTF-8", NULL));
    ck_assert_str_eq(pc_diags_get(d, 0)->loc.file, "app.xml");
    ck_assert_uint_eq(pc_diags_get(d, 0)->loc.line, 7);
    pc_diags_free(d);
}
END_TEST

/* ================================================================== */
/* Threads: one set, many auditors. */

struct worker {
    unsigned seed;
    int failures;
};

static void *
worker_run(void *arg)
{
    struct worker *w = arg;
    pc_diags *d = pc_diags_new();

    for (int round = 0; round < 20; round++)
        for (size_t k = 0; k < NELEM(positives); k++) {
            size_t i = (k * 7 + w->seed + (size_t)round) % NELEM(positives);
            struct classify_result r;

            /* Threads start on different names and soon ask for the same
             * ones: misses race with each other and with hits. */
            if (classify_name(cs, positives[i].name, NULL, d,
                              (struct pc_loc){ 0 }, &r) != PC_OK ||
                r.element == NULL ||
                strcmp(r.element, positives[i].element) != 0)
                w->failures++;
        }
    pattern_cleanup(); /* this thread's JIT stack */
    pc_diags_free(d);
    return NULL;
}

START_TEST(test_threads)
{
    struct classify_set *shared = cs;
    pthread_t t[8];
    struct worker w[8];

    /* A fresh set, so the threads race to fill an empty cache. */
    pc_diags *d = pc_diags_new();
    ck_assert_int_eq(classify_load(classifiers_path, schema_path, d, &cs),
                     PC_OK);
    for (unsigned i = 0; i < NELEM(t); i++) {
        w[i].seed = i * 13;
        w[i].failures = 0;
        ck_assert_int_eq(pthread_create(&t[i], NULL, worker_run, &w[i]), 0);
    }
    for (unsigned i = 0; i < NELEM(t); i++) {
        pthread_join(t[i], NULL);
        ck_assert_int_eq(w[i].failures, 0);
    }
    classify_free(cs);
    cs = shared;
    pc_diags_free(d);
}
END_TEST

/* ================================================================== */
/* The classifiers file itself. */

START_TEST(test_sha256)
{
    FILE *f = fopen(classifiers_path, "rb");
    char *buf, hex[65];
    long n;

    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    sha256_hex(buf, (size_t)n, hex);
    free(buf);
    ck_assert_str_eq(classify_sha256(cs), hex);
    ck_assert_str_eq(classify_path(cs), classifiers_path);
}
END_TEST

START_TEST(test_find_and_info)
{
    const struct classify_info *ci = classify_find(cs, "ssn-last4");
    const struct classify_info *ssn = classify_find(cs, "ssn");

    ck_assert_ptr_nonnull(ci);
    ck_assert_ptr_nonnull(ssn);
    ck_assert_str_eq(ci->element, "sensitive.ssn-last4");
    ck_assert(ci->sensitive);
    ck_assert_uint_ge(ci->nnames, 1);
    /* Specific before general: last four is tried first. */
    ck_assert_uint_lt(ci->line, ssn->line);
    ck_assert_ptr_null(classify_find(cs, "no-such-classifier"));
    ck_assert_ptr_null(classify_get(cs, classify_count(cs)));
    for (size_t i = 0; i < classify_count(cs); i++) {
        const struct classify_info *c = classify_get(cs, i);

        ck_assert_ptr_eq(classify_find(cs, c->id), c);
        ck_assert_uint_ge(c->nnames, 1);
        ck_assert_uint_gt(c->line, 0);
    }
}
END_TEST

/* Collect the ids of every <element> of the policy. */
static void
policy_elements(const xmlNode *n, char ***ids, size_t *nids)
{
    for (; n != NULL; n = n->next) {
        if (xml_is(n, POLICY_NS, "element")) {
            char *id = xml_attr(n, "id");

            ck_assert_ptr_nonnull(id);
            *ids = realloc(*ids, (*nids + 1) * sizeof **ids);
            ck_assert_ptr_nonnull(*ids);
            (*ids)[(*nids)++] = id;
        }
        if (n->type == XML_ELEMENT_NODE)
            policy_elements(n->children, ids, nids);
    }
}

START_TEST(test_policy_coverage)
{
    pc_diags *d = pc_diags_new();
    xmlDoc *doc = NULL;
    char **ids = NULL;
    size_t nids = 0;

    ck_assert_int_eq(xml_load(policy_path, NULL, d, &doc, NULL), PC_OK);
    policy_elements(xmlDocGetRootElement(doc), &ids, &nids);
    /* The vocabulary of DESIGN §4a has 35 elements. */
    ck_assert_uint_ge(nids, 35);
    for (size_t i = 0; i < nids; i++) {
        bool classifier = false, tested = false;

        for (size_t k = 0; k < classify_count(cs); k++)
            if (strcmp(classify_get(cs, k)->element, ids[i]) == 0)
                classifier = true;
        for (size_t k = 0; k < NELEM(positives); k++)
            if (strcmp(positives[k].element, ids[i]) == 0)
                tested = true;
        ck_assert_msg(classifier, "policy element %s has no classifier",
                      ids[i]);
        ck_assert_msg(tested, "policy element %s has no true positive", ids[i]);
        free(ids[i]);
    }
    free(ids);
    xmlFreeDoc(doc);
    pc_diags_free(d);
}
END_TEST

/* ================================================================== */
/* Broken classifier files. */

static char *
write_temp(const char *body)
{
    char *path = strdup("/tmp/check_classify_XXXXXX");
    FILE *f;
    int fd;

    ck_assert_ptr_nonnull(path);
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(body, f);
    fclose(f);
    return path;
}

#define CL_HEAD                                                                \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                             \
    "<classifiers xmlns=\"urn:privcheck:classifiers:1\">\n"
#define CL_TAIL "</classifiers>\n"

static const struct {
    const char *body;
    bool schema; /* validate against classifiers.rng */
    pc_status st;
    const char *want[3]; /* all in one diagnostic */
    const char *also[3]; /* all in another one (NULL: none) */
} broken[] = {
    /* An invalid regex names the classifier and the offset; every broken
     * pattern is reported, not just the first. */
    { CL_HEAD "<classifier id=\"good\" element=\"a.b\"><name>^ok$</name>"
              "</classifier>\n"
              "<classifier id=\"broken-one\" element=\"a.b\">\n"
              "  <name>ab(c</name></classifier>\n"
              "<classifier id=\"broken-two\" element=\"a.c\">\n"
              "  <name>^x$</name><not>[z-a]</not></classifier>\n" CL_TAIL,
      true,
      PC_ESYNTAX,
      { "classifier broken-one", "ab(c", "offset 4" },
      { "classifier broken-two", "[z-a]", "offset" } },
    { CL_HEAD "<classifier id=\"bad-value\" element=\"a.b\"><name>x</name>"
              "<value>(?&lt;n</value></classifier>\n" CL_TAIL,
      false,
      PC_ESYNTAX,
      { "classifier bad-value", "offset", NULL },
      { NULL } },
    { CL_HEAD "<classifier id=\"no-c\" element=\"a.b\"><name>\\C</name>"
              "</classifier>\n" CL_TAIL,
      true,
      PC_ESYNTAX,
      { "classifier no-c", "\\C", NULL },
      { NULL } },
    { CL_HEAD "<classifier id=\"twice\" element=\"a.b\"><name>x</name>"
              "</classifier>\n"
              "<classifier id=\"twice\" element=\"a.c\"><name>y</name>"
              "</classifier>\n" CL_TAIL,
      true,
      PC_EINVALID,
      { "duplicate classifier id", "twice", "line 3" },
      { NULL } },
    { CL_HEAD "<classifier id=\"blank\" element=\"a.b\"><name>   </name>"
              "</classifier>\n" CL_TAIL,
      true,
      PC_EINVALID,
      { "classifier blank", "empty", NULL },
      { NULL } },
    { CL_HEAD
      "<classifier id=\"nameless\" element=\"a.b\"></classifier>\n" CL_TAIL,
      false,
      PC_EINVALID,
      { "classifier nameless", "<name>", NULL },
      { NULL } },
    { CL_HEAD "<classifier id=\"sens\" element=\"a.b\" sensitive=\"yes\">"
              "<name>x</name></classifier>\n" CL_TAIL,
      false,
      PC_EINVALID,
      { "sensitive", "yes", NULL },
      { NULL } },
    { CL_HEAD "<classifier id=\"extra\" element=\"a.b\"><name>x</name>"
              "<regex>y</regex></classifier>\n" CL_TAIL,
      false,
      PC_EINVALID,
      { "unexpected <regex>", NULL, NULL },
      { NULL } },
    /* The schema is closed. */
    { CL_HEAD "<classifier id=\"extra\" element=\"a.b\" colour=\"red\">"
              "<name>x</name></classifier>\n" CL_TAIL,
      true,
      PC_EINVALID,
      { NULL },
      { NULL } },
    { CL_HEAD CL_TAIL,
      false,
      PC_EINVALID,
      { "no <classifier>", NULL, NULL },
      { NULL } },
    { "<?xml version=\"1.0\"?>\n<classifiers xmlns=\"urn:other\">"
      "<classifier/></classifiers>\n",
      false,
      PC_EINVALID,
      { "not a classifiers file", NULL, NULL },
      { NULL } },
    { "<classifiers", false, PC_ESYNTAX, { NULL }, { NULL } },
    /* Context conditions compile like patterns: errors name the
     * classifier, the attribute and the offset. */
    { CL_HEAD "<classifier id=\"ctx-bad\" element=\"a.b\">\n"
              "  <name context=\"ab(\">x</name></classifier>\n"
              "<classifier id=\"unless-bad\" element=\"a.c\">\n"
              "  <name>x</name><not unless-context=\"[z-a]\">y</not>"
              "</classifier>\n" CL_TAIL,
      true,
      PC_ESYNTAX,
      { "classifier ctx-bad (context=)", "ab(", "offset 3" },
      { "classifier unless-bad (unless-context=)", "[z-a]", "offset" } },
    { CL_HEAD "<classifier id=\"ctx-empty\" element=\"a.b\">\n"
              "  <name context=\" \">x</name></classifier>\n" CL_TAIL,
      false,
      PC_EINVALID,
      { "classifier ctx-empty", "empty context pattern", NULL },
      { NULL } },
    { CL_HEAD "<classifier id=\"ex-empty\" element=\"a.b\">\n"
              "  <name>x</name><example> </example></classifier>\n" CL_TAIL,
      false,
      PC_EINVALID,
      { "classifier ex-empty", "empty <example>", NULL },
      { NULL } },
    /* column-prefix-max is a small count of letters. */
    { "<classifiers xmlns=\"urn:privcheck:classifiers:1\" "
      "column-prefix-max=\"9\">\n"
      "<classifier id=\"a\" "
      "element=\"a.b\"><name>x</name></classifier>\n" CL_TAIL,
      false,
      PC_EINVALID,
      { "column-prefix-max", "\"9\"", NULL },
      { NULL } },
    { "<classifiers xmlns=\"urn:privcheck:classifiers:1\" "
      "column-prefix-max=\"4x\">\n"
      "<classifier id=\"a\" "
      "element=\"a.b\"><name>x</name></classifier>\n" CL_TAIL,
      false,
      PC_EINVALID,
      { "column-prefix-max", "\"4x\"", NULL },
      { NULL } },
    { "<classifiers xmlns=\"urn:privcheck:classifiers:1\" "
      "column-prefix-max=\"9\">\n"
      "<classifier id=\"a\" "
      "element=\"a.b\"><name>x</name></classifier>\n" CL_TAIL,
      true,
      PC_EINVALID,
      { NULL },
      { NULL } },
    /* Conditions only on <name> and <not>. */
    { CL_HEAD "<classifier id=\"val-ctx\" element=\"a.b\">\n"
              "  <name>x</name><value context=\"y\">z</value>"
              "</classifier>\n" CL_TAIL,
      true,
      PC_EINVALID,
      { NULL },
      { NULL } },
};

START_TEST(test_broken_file)
{
    char *path = write_temp(broken[_i].body);
    pc_diags *d = pc_diags_new();
    struct classify_set *bad = (struct classify_set *)1;
    pc_status st;

    st = classify_load(path, broken[_i].schema ? schema_path : NULL, d, &bad);
    ck_assert_int_eq(st, broken[_i].st);
    ck_assert_ptr_null(bad);
    ck_assert_uint_gt(pc_diags_errors(d), 0);
    if (broken[_i].want[0] != NULL &&
        !diag_has(d, broken[_i].want[0], broken[_i].want[1], broken[_i].want[2],
                  NULL)) {
        pc_diags_print(d, stderr);
        ck_abort_msg("no diagnostic with \"%s\"", broken[_i].want[0]);
    }
    if (broken[_i].also[0] != NULL &&
        !diag_has(d, broken[_i].also[0], broken[_i].also[1], broken[_i].also[2],
                  NULL)) {
        pc_diags_print(d, stderr);
        ck_abort_msg("no diagnostic with \"%s\"", broken[_i].also[0]);
    }
    /* Located in the file. */
    ck_assert_str_eq(pc_diags_get(d, 0)->loc.file, path);
    unlink(path);
    free(path);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_missing_file)
{
    pc_diags *d = pc_diags_new();
    struct classify_set *bad = NULL;

    ck_assert_int_eq(
        classify_load("/nonexistent/classifiers.xml", NULL, d, &bad), PC_EIO);
    ck_assert_ptr_null(bad);
    pc_diags_free(d);
}
END_TEST

/* A minimal valid file: order decides, vetoes pass the name on. */
START_TEST(test_order_and_veto)
{
    char *path =
        write_temp(CL_HEAD "<classifier id=\"specific\" element=\"x.specific\" "
                           "sensitive=\"true\">\n"
                           "  <name>(^|_)foo_bar(_|$)</name>\n"
                           "  <not>_draft$</not>\n"
                           "</classifier>\n"
                           "<classifier id=\"general\" element=\"x.general\">\n"
                           "  <name>\n   (^|_)foo(_|$)\n  </name>\n"
                           "</classifier>\n" CL_TAIL);
    pc_diags *d = pc_diags_new();
    struct classify_set *own = NULL;
    struct classify_result r;

    ck_assert_int_eq(classify_load(path, schema_path, d, &own), PC_OK);
    ck_assert_uint_eq(classify_count(own), 2);
    ck_assert_int_eq(
        classify_name(own, "FooBar", NULL, d, (struct pc_loc){ 0 }, &r), PC_OK);
    ck_assert_str_eq(r.classifier, "specific");
    ck_assert(r.sensitive);
    ck_assert_uint_eq(r.line, 3);
    ck_assert_int_eq(
        classify_name(own, "foo_bar_draft", NULL, d, (struct pc_loc){ 0 }, &r),
        PC_OK);
    ck_assert_str_eq(r.classifier, "general");
    /* Surrounding whitespace of the pattern was trimmed. */
    ck_assert_str_eq(r.pattern, "(^|_)foo(_|$)");
    ck_assert(!r.sensitive);
    ck_assert_int_eq(
        classify_name(own, "food", NULL, d, (struct pc_loc){ 0 }, &r), PC_OK);
    ck_assert_ptr_null(r.element);
    ck_assert_uint_eq(pc_diags_count(d), 0);
    classify_free(own);
    unlink(path);
    free(path);
    pc_diags_free(d);
}
END_TEST

/* A classifier whose pattern blows its limits: an error, never "no". */
START_TEST(test_classifier_limit_is_error)
{
    char *path =
        write_temp(CL_HEAD "<classifier id=\"slow\" element=\"x.slow\">\n"
                           "  <name>^(a|aa)+$</name>\n"
                           "</classifier>\n" CL_TAIL);
    pc_diags *d = pc_diags_new();
    struct classify_set *own = NULL;
    struct classify_result r;
    char name[200];
    struct classify_stats s;

    memset(name, 'a', 150);
    name[150] = 'b';
    name[151] = '\0';
    ck_assert_int_eq(classify_load(path, schema_path, d, &own), PC_OK);
    ck_assert_int_eq(
        classify_name(own, name, NULL, d, diag_loc(d, "m.xml", 3, 0), &r),
        PC_ELIMIT);
    ck_assert_ptr_null(r.element);
    ck_assert(diag_has(d, "classifier slow", "limit", NULL));
    /* Not cached: asking again reports again. */
    ck_assert_int_eq(
        classify_name(own, name, NULL, d, diag_loc(d, "m.xml", 4, 0), &r),
        PC_ELIMIT);
    ck_assert_uint_eq(pc_diags_errors(d), 2);
    classify_stats(own, &s);
    ck_assert_uint_eq(s.entries, 0);
    classify_free(own);
    unlink(path);
    free(path);
    pc_diags_free(d);
}
END_TEST

/* ================================================================== */
/* Context: the table or object a field lives in. */

#define CTX_FILE                                                               \
    CL_HEAD                                                                    \
    "<classifier id=\"event\" element=\"x.event\">\n"                          \
    "  <name context=\"(^|_)events?(_|$)\">^(start|description)$</name>\n"     \
    "  <example context=\"events\">start</example>\n"                          \
    "  <counter-example>start</counter-example>\n"                             \
    "</classifier>\n"                                                          \
    "<classifier id=\"product\" element=\"x.product\">\n"                      \
    "  <name unless-context=\"(^|_)events?(_|$)\">^description$</name>\n"      \
    "</classifier>\n"                                                          \
    "<classifier id=\"person\" element=\"x.name\">\n"                          \
    "  <name>^name$</name>\n"                                                  \
    "  <not context=\"(^|_)tags?(_|$)\">^name$</not>\n"                        \
    "</classifier>\n"                                                          \
    "<classifier id=\"both\" element=\"x.both\">\n"                            \
    "  <name context=\"^shop\" unless-context=\"_archive$\">^sku$</name>\n"    \
    "</classifier>\n" CL_TAIL

static struct classify_set *
load_ctx_file(char **path)
{
    pc_diags *d = pc_diags_new();
    struct classify_set *own = NULL;

    *path = write_temp(CTX_FILE);
    ck_assert_int_eq(classify_load(*path, schema_path, d, &own), PC_OK);
    ck_assert_uint_eq(pc_diags_count(d), 0);
    pc_diags_free(d);
    return own;
}

static const struct {
    const char *name, *context, *classifier; /* NULL: none */
} ctx_cases[] = {
    /* context=: only in a matching context; never without one. */
    { "start", "events", "event" },
    { "start", "CalendarEvent", "event" }, /* normalised: calendar_event */
    { "start", "event-log", "event" },
    { "start", "eventual", NULL },
    { "start", "products", NULL },
    { "start", NULL, NULL },
    { "start", "", NULL },
    { "start", "---", NULL }, /* normalises to nothing: no context */
    /* unless-context=: everywhere but there; always without a context. */
    { "description", "products", "product" },
    { "description", "events", "event" },
    { "description", "event_archive", "event" },
    { "description", NULL, "product" },
    /* A <not> with a context vetoes only there. */
    { "name", "tags", NULL },
    { "name", "Tag", NULL },
    { "name", "users", "person" },
    { "name", NULL, "person" },
    /* Both conditions: the context must match one and not the other. */
    { "sku", "shop_items", "both" },
    { "sku", "shop_items_archive", NULL },
    { "sku", "warehouse", NULL },
    { "sku", NULL, NULL },
};

START_TEST(test_context)
{
    char *path;
    struct classify_set *own = load_ctx_file(&path);
    pc_diags *d = pc_diags_new();
    struct classify_result r;

    /* Twice: the second answer comes from the cache. */
    for (int round = 0; round < 2; round++) {
        ck_assert_int_eq(classify_name(own, ctx_cases[_i].name,
                                       ctx_cases[_i].context, d,
                                       (struct pc_loc){ 0 }, &r),
                         PC_OK);
        if (ctx_cases[_i].classifier == NULL)
            ck_assert_msg(r.classifier == NULL, "%s in %s -> %s (round %d)",
                          ctx_cases[_i].name, ctx_cases[_i].context,
                          r.classifier, round);
        else
            ck_assert_msg(r.classifier != NULL &&
                              strcmp(r.classifier, ctx_cases[_i].classifier) ==
                                  0,
                          "%s in %s -> %s, want %s (round %d)",
                          ctx_cases[_i].name, ctx_cases[_i].context,
                          r.classifier, ctx_cases[_i].classifier, round);
    }
    ck_assert_uint_eq(pc_diags_count(d), 0);
    classify_free(own);
    unlink(path);
    free(path);
    pc_diags_free(d);
}
END_TEST

/* The same name in two contexts, two answers, each cached; a name no
 * conditioned pattern matches is cached once for every context. */
START_TEST(test_context_cache)
{
    char *path;
    struct classify_set *own = load_ctx_file(&path);
    pc_diags *d = pc_diags_new();
    struct classify_result a, b;
    struct classify_stats s0, s1, s2;

    ck_assert_int_eq(
        classify_name(own, "name", "tags", d, (struct pc_loc){ 0 }, &a), PC_OK);
    ck_assert_int_eq(
        classify_name(own, "name", "users", d, (struct pc_loc){ 0 }, &b),
        PC_OK);
    ck_assert_ptr_null(a.classifier);
    ck_assert_str_eq(b.classifier, "person");
    classify_stats(own, &s0);
    ck_assert_uint_eq(s0.misses, 2);
    ck_assert_uint_eq(s0.hits, 0);
    ck_assert_uint_eq(s0.entries, 2);
    /* Again, in the other order: both from the cache, both unchanged. */
    ck_assert_int_eq(
        classify_name(own, "name", "users", d, (struct pc_loc){ 0 }, &b),
        PC_OK);
    ck_assert_int_eq(
        classify_name(own, "name", "tags", d, (struct pc_loc){ 0 }, &a), PC_OK);
    ck_assert_ptr_null(a.classifier);
    ck_assert_str_eq(b.classifier, "person");
    classify_stats(own, &s1);
    ck_assert_uint_eq(s1.hits, 2);
    ck_assert_uint_eq(s1.misses, 2);
    ck_assert_uint_eq(s1.entries, 2);
    /* "tag" is a third context, but its tests of the context come out as
     * those of "tags" did: the answer recorded for them, no new entry. */
    ck_assert_int_eq(
        classify_name(own, "name", "tag", d, (struct pc_loc){ 0 }, &a), PC_OK);
    ck_assert_ptr_null(a.classifier);
    classify_stats(own, &s2);
    ck_assert_uint_eq(s2.misses, 2);
    ck_assert_uint_eq(s2.hits, 3);
    ck_assert_uint_eq(s2.entries, 2);
    /* Keys cannot collide: ("ab", "c") is not ("a", "bc"). */
    ck_assert_int_eq(
        classify_name(own, "sku", "shop", d, (struct pc_loc){ 0 }, &a), PC_OK);
    ck_assert_str_eq(a.classifier, "both");
    ck_assert_int_eq(
        classify_name(own, "sk", "ushop", d, (struct pc_loc){ 0 }, &a), PC_OK);
    ck_assert_ptr_null(a.classifier);
    /* No conditioned pattern matches "widget": one entry, any context. */
    classify_stats(own, &s0);
    ck_assert_int_eq(
        classify_name(own, "widget", "tags", d, (struct pc_loc){ 0 }, &a),
        PC_OK);
    ck_assert_int_eq(
        classify_name(own, "widget", "users", d, (struct pc_loc){ 0 }, &a),
        PC_OK);
    ck_assert_int_eq(
        classify_name(own, "widget", NULL, d, (struct pc_loc){ 0 }, &a), PC_OK);
    classify_stats(own, &s1);
    ck_assert_uint_eq(s1.entries, s0.entries + 1);
    ck_assert_uint_eq(s1.misses, s0.misses + 1);
    ck_assert_uint_eq(s1.hits, s0.hits + 2);
    ck_assert_uint_eq(pc_diags_count(d), 0);
    classify_free(own);
    unlink(path);
    free(path);
    pc_diags_free(d);
}
END_TEST

/* A bounded cache still answers right in every context. */
START_TEST(test_context_cache_limit)
{
    char *path;
    struct classify_set *own = load_ctx_file(&path);
    pc_diags *d = pc_diags_new();
    struct classify_stats s;
    char ctx[32];

    classify_set_cache_limit(own, 5);
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 20; i++) {
            struct classify_result r;

            snprintf(ctx, sizeof ctx, i % 2 ? "tags_%d" : "users_%d", i);
            ck_assert_int_eq(
                classify_name(own, "name", ctx, d, (struct pc_loc){ 0 }, &r),
                PC_OK);
            if (i % 2)
                ck_assert_ptr_null(r.classifier);
            else
                ck_assert_str_eq(r.classifier, "person");
        }
    classify_stats(own, &s);
    /* Forty contexts, two ways their tests come out: two answers, each
     * recorded once (the note that "name" depends on its context takes
     * one slot), every other lookup a hit. */
    ck_assert_uint_eq(s.entries, 2);
    ck_assert_uint_eq(s.hits, 38);
    classify_free(own);
    unlink(path);
    free(path);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_context_too_long)
{
    pc_diags *d = pc_diags_new();
    char *ctx = malloc(CLASSIFY_MAX_CONTEXT + 2);
    struct classify_result r;

    ck_assert_ptr_nonnull(ctx);
    memset(ctx, 'a', CLASSIFY_MAX_CONTEXT + 1);
    ctx[CLASSIFY_MAX_CONTEXT + 1] = '\0';
    ck_assert_int_eq(
        classify_name(cs, "email", ctx, d, (struct pc_loc){ 0 }, &r),
        PC_ELIMIT);
    ck_assert_ptr_null(r.element);
    ck_assert(diag_has(d, "context", "limit", NULL));
    ctx[CLASSIFY_MAX_CONTEXT] = '\0';
    ck_assert_int_eq(
        classify_name(cs, "email", ctx, d, (struct pc_loc){ 0 }, &r), PC_OK);
    ck_assert_str_eq(r.element, "identifiers.email");
    free(ctx);
    pc_diags_free(d);
}
END_TEST

/* Threads racing on one name in many contexts agree with one thread. */
struct ctx_worker {
    struct classify_set *set;
    int failures;
};

static void *
ctx_worker_run(void *arg)
{
    struct ctx_worker *w = arg;
    pc_diags *d = pc_diags_new();

    for (int round = 0; round < 200; round++)
        for (size_t i = 0; i < NELEM(ctx_cases); i++) {
            size_t k = (i + (size_t)round) % NELEM(ctx_cases);
            const char *want = ctx_cases[k].classifier;
            struct classify_result r;

            if (classify_name(w->set, ctx_cases[k].name, ctx_cases[k].context,
                              d, (struct pc_loc){ 0 }, &r) != PC_OK ||
                (want == NULL) != (r.classifier == NULL) ||
                (want != NULL && strcmp(want, r.classifier) != 0))
                w->failures++;
        }
    pattern_cleanup();
    pc_diags_free(d);
    return NULL;
}

START_TEST(test_context_threads)
{
    char *path;
    struct classify_set *own = load_ctx_file(&path);
    pthread_t t[8];
    struct ctx_worker w[8];

    for (unsigned i = 0; i < NELEM(t); i++) {
        w[i].set = own;
        w[i].failures = 0;
        ck_assert_int_eq(pthread_create(&t[i], NULL, ctx_worker_run, &w[i]), 0);
    }
    for (unsigned i = 0; i < NELEM(t); i++) {
        pthread_join(t[i], NULL);
        ck_assert_int_eq(w[i].failures, 0);
    }
    classify_free(own);
    unlink(path);
    free(path);
}
END_TEST

/* The explanation: every classifier tried, each deciding pattern. */
struct trace {
    char buf[2048];
};

static void
trace_step(void *arg, const struct pc_classify_step *st)
{
    static const char *const ev[] = { "start",  "no-name",     "name-skipped",
                                      "name",   "not-skipped", "vetoed",
                                      "chosen", "none",        "prefix" };
    static const char *const ck[] = { "", "held", "absent", "mismatch",
                                      "excluded" };
    struct trace *t = arg;
    size_t n = strlen(t->buf);

    if (st->event == PC_CLASSIFY_START || st->event == PC_CLASSIFY_PREFIX) {
        snprintf(t->buf + n, sizeof t->buf - n, "%s%s(%s|%s)", n > 0 ? " " : "",
                 ev[st->event], st->name, st->context);
        return;
    }
    n += (size_t)snprintf(t->buf + n, sizeof t->buf - n, " %s:%s",
                          st->classifier != NULL ? st->classifier : "-",
                          ev[st->event]);
    if (st->index > 0)
        n += (size_t)snprintf(t->buf + n, sizeof t->buf - n, "#%zu", st->index);
    if (st->check != PC_CONTEXT_UNCONDITIONED)
        snprintf(t->buf + n, sizeof t->buf - n, "/%s", ck[st->check]);
}

static const struct {
    const char *name, *context, *want;
} traces[] = {
    { "Start", "Calendar-Events",
      "start(start|calendar_events) event:name#1/held event:chosen" },
    { "start", NULL,
      "start(start|) event:name-skipped#1/absent event:no-name "
      "product:no-name person:no-name both:no-name -:none" },
    { "start", "shop",
      "start(start|shop) event:name-skipped#1/mismatch event:no-name "
      "product:no-name person:no-name both:no-name -:none" },
    { "description", "event_archive",
      "start(description|event_archive) event:name#1/held event:chosen" },
    { "description", "shop",
      "start(description|shop) event:name-skipped#1/mismatch "
      "event:no-name product:name#1/held product:chosen" },
    { "name", "tags",
      "start(name|tags) event:no-name product:no-name person:name#1 "
      "person:vetoed#1/held both:no-name -:none" },
    { "name", "users",
      "start(name|users) event:no-name product:no-name person:name#1 "
      "person:not-skipped#1/mismatch person:chosen" },
    { "sku", "shop_archive",
      "start(sku|shop_archive) event:no-name product:no-name "
      "person:no-name both:name-skipped#1/excluded both:no-name -:none" },
};

START_TEST(test_explain_trace)
{
    char *path;
    struct classify_set *own = load_ctx_file(&path);
    pc_diags *d = pc_diags_new();
    struct classify_result r, cached;
    struct trace t = { "" };

    ck_assert_int_eq(classify_explain(own, traces[_i].name, traces[_i].context,
                                      d, (struct pc_loc){ 0 }, trace_step, &t,
                                      &r),
                     PC_OK);
    ck_assert_str_eq(t.buf, traces[_i].want);
    /* The explanation and the cached answer agree. */
    ck_assert_int_eq(classify_name(own, traces[_i].name, traces[_i].context, d,
                                   (struct pc_loc){ 0 }, &cached),
                     PC_OK);
    ck_assert_ptr_eq(r.classifier, cached.classifier);
    ck_assert_ptr_eq(r.pattern, cached.pattern);
    classify_free(own);
    unlink(path);
    free(path);
    pc_diags_free(d);
}
END_TEST

/* Column prefixes: a first word that abbreviates the table is dropped
 * when the whole name is not recognised. */
#define PREFIX_FILE                                                            \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                             \
    "<classifiers xmlns=\"urn:privcheck:classifiers:1\" "                      \
    "column-prefix-max=\"4\">\n"                                               \
    "<classifier id=\"last\" element=\"x.name\">\n"                            \
    "  <name>^last_?name$</name>\n"                                            \
    "  <not>_(colou?r)$</not>\n"                                               \
    "</classifier>\n"                                                          \
    "<classifier id=\"person\" element=\"x.name\">\n"                          \
    "  <name context=\"(^|_)employees?$\">^name$</name>\n"                     \
    "</classifier>\n"                                                          \
    "<classifier id=\"whole\" element=\"x.whole\">\n"                          \
    "  <name>^emp_status$</name>\n"                                            \
    "</classifier>\n"                                                          \
    "<classifier id=\"photo\" element=\"x.photo\">\n"                          \
    "  <name>(^|_)avatar$</name>\n"                                            \
    "  <not>^group_</not>\n"                                                   \
    "</classifier>\n" CL_TAIL

static const struct {
    const char *name, *context, *classifier; /* NULL: none */
} prefix_cases[] = {
    { "emp_lastname", "hs_hr_employee", "last" },
    { "EMP_LAST_NAME", "HS_HR_EMPLOYEE", "last" },
    /* The letters in order, the first at a word's start, across words. */
    { "eexp_lastname", "hs_hr_emp_work_experience", "last" },
    { "ec_lastname", "emp_emergency_contacts", "last" },
    /* What is left is classified in the same context. */
    { "emp_name", "hs_hr_employee", "person" },
    { "pat_name", "patients", NULL },
    /* Not an abbreviation of the context, or no context at all. */
    { "emp_lastname", "products", NULL },
    { "emp_lastname", "temp_employee_rows", "last" },
    { "emp_lastname", "temporary", NULL },
    { "emp_lastname", NULL, NULL },
    { "xyz_lastname", "hs_hr_employee", NULL },
    /* Longer than column-prefix-max, digits, too little left. */
    { "emplo_lastname", "employees", NULL },
    { "em2_lastname", "em2_employees", NULL },
    { "em_x", "employees", NULL },
    /* A name recognised whole keeps its answer; a veto still holds. */
    { "emp_status", "hs_hr_employee", "whole" },
    { "emp_lastname_colour", "hs_hr_employee", NULL },
    /* A veto of the whole name is not undone by dropping the prefix. */
    { "group_avatar", "groups", NULL },
    { "grp_avatar", "groups", "photo" },
};

START_TEST(test_prefix)
{
    char *path = write_temp(PREFIX_FILE);
    pc_diags *d = pc_diags_new();
    struct classify_set *own = NULL;
    struct classify_result r;

    ck_assert_int_eq(classify_load(path, schema_path, d, &own), PC_OK);
    /* Twice: the second answer comes from the cache, which must keep the
     * answers of one name in two contexts apart. */
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < NELEM(prefix_cases); i++) {
            const char *want = prefix_cases[i].classifier;

            ck_assert_int_eq(classify_name(own, prefix_cases[i].name,
                                           prefix_cases[i].context, d,
                                           (struct pc_loc){ 0 }, &r),
                             PC_OK);
            ck_assert_msg(want == NULL ? r.classifier == NULL
                                       : r.classifier != NULL &&
                                             strcmp(r.classifier, want) == 0,
                          "%s in %s -> %s, want %s (round %d)",
                          prefix_cases[i].name, prefix_cases[i].context,
                          r.classifier, want, round);
        }
    ck_assert_uint_eq(pc_diags_count(d), 0);
    classify_free(own);
    unlink(path);
    free(path);
    pc_diags_free(d);
}
END_TEST

/* Without column-prefix-max, names are only tried whole. */
START_TEST(test_prefix_off)
{
    char *path;
    struct classify_set *own = load_ctx_file(&path);
    pc_diags *d = pc_diags_new();
    struct classify_result r;

    ck_assert_int_eq(
        classify_name(own, "ev_start", "events", d, (struct pc_loc){ 0 }, &r),
        PC_OK);
    ck_assert_ptr_null(r.classifier);
    ck_assert_int_eq(
        classify_name(own, "start", "events", d, (struct pc_loc){ 0 }, &r),
        PC_OK);
    ck_assert_str_eq(r.classifier, "event");
    classify_free(own);
    unlink(path);
    free(path);
    pc_diags_free(d);
}
END_TEST

/* The explanation shows the prefix and what was tried after it. */
START_TEST(test_prefix_trace)
{
    char *path = write_temp(PREFIX_FILE);
    pc_diags *d = pc_diags_new();
    struct classify_set *own = NULL;
    struct classify_result r;
    struct trace t = { "" };

    ck_assert_int_eq(classify_load(path, schema_path, d, &own), PC_OK);
    ck_assert_int_eq(classify_explain(own, "EMP_NAME", "hs_hr_employee", d,
                                      (struct pc_loc){ 0 }, trace_step, &t, &r),
                     PC_OK);
    ck_assert_str_eq(t.buf, "start(emp_name|hs_hr_employee) last:no-name "
                            "person:no-name whole:no-name photo:no-name "
                            "prefix(name|hs_hr_employee) last:no-name "
                            "person:name#1/held person:chosen");
    classify_free(own);
    unlink(path);
    free(path);
    pc_diags_free(d);
}
END_TEST

/* Examples are stored, in file order, with their contexts and lines. */
START_TEST(test_examples_loaded)
{
    char *path;
    struct classify_set *own = load_ctx_file(&path);
    const struct classify_info *ev = classify_find(own, "event");
    const struct classify_info *pr = classify_find(own, "product");

    ck_assert_ptr_nonnull(ev);
    ck_assert_uint_eq(ev->nexamples, 2);
    ck_assert_str_eq(ev->examples[0].name, "start");
    ck_assert_str_eq(ev->examples[0].context, "events");
    ck_assert(!ev->examples[0].counter);
    ck_assert_uint_eq(ev->examples[0].line, 5);
    ck_assert_ptr_null(ev->examples[1].context);
    ck_assert(ev->examples[1].counter);
    ck_assert_uint_eq(ev->ncontextual, 1);
    ck_assert_uint_eq(pr->nexamples, 0);
    ck_assert_uint_eq(classify_find(own, "person")->ncontextual, 1);
    ck_assert_uint_eq(classify_find(own, "both")->ncontextual, 1);
    classify_free(own);
    unlink(path);
    free(path);
}
END_TEST

/* ================================================================== */
/* pattern.c */

START_TEST(test_pattern_compile_error)
{
    pc_diags *d = pc_diags_new();
    struct pattern *p = (struct pattern *)1;
    struct pc_loc loc = diag_loc(d, "rules/x.rules.xml", 12, 0);

    ck_assert_int_eq(pattern_compile("ab(c", 0, loc, "XYZ-001", d, &p),
                     PC_ESYNTAX);
    ck_assert_ptr_null(p);
    ck_assert_uint_eq(pc_diags_errors(d), 1);
    ck_assert(diag_has(d, "XYZ-001", "\"ab(c\"", "at offset 4", NULL));
    ck_assert_str_eq(pc_diags_get(d, 0)->loc.file, "rules/x.rules.xml");
    ck_assert_uint_eq(pc_diags_get(d, 0)->loc.line, 12);
    /* \C is refused (it could split a UTF-8 character). */
    ck_assert_int_eq(pattern_compile("a\\Cb", 0, loc, "XYZ-002", d, &p),
                     PC_ESYNTAX);
    ck_assert(diag_has(d, "XYZ-002", "offset", NULL));
    /* An over-long pattern is a compile error too. */
    {
        char *big = malloc(9001);

        ck_assert_ptr_nonnull(big);
        memset(big, 'a', 9000);
        big[9000] = '\0';
        ck_assert_int_eq(pattern_compile(big, 0, loc, "XYZ-003", d, &p),
                         PC_ESYNTAX);
        free(big);
    }
    pc_diags_free(d);
}
END_TEST

static const struct {
    const char *pattern, *subject;
    uint32_t flags;
    bool match;
} match_cases[] = {
    { "^ssn$", "ssn", 0, true },
    { "^ssn$", "SSN", 0, false },
    { "^ssn$", "SSN", PATTERN_CASELESS, true },
    { "^x$", "x\n", 0, false }, /* PCRE2_DOLLAR_ENDONLY */
    { "(^|_)pan(_|$)", "company", 0, false },
    { "(^|_)pan(_|$)", "card_pan", 0, true },
    { "^caf\xc3\xa9$", "CAF\xc3\x89", PATTERN_CASELESS, true }, /* UTF */
    { "^.$", "\xc3\xa9", 0, true }, /* one character, two bytes */
    { "^(a+)+$", "aaaa", PATTERN_NO_JIT, true },
    { "", "", 0, true },
};

START_TEST(test_pattern_match)
{
    pc_diags *d = pc_diags_new();
    struct pattern *p;
    bool m = !match_cases[_i].match;

    ck_assert_int_eq(pattern_compile(match_cases[_i].pattern,
                                     match_cases[_i].flags,
                                     (struct pc_loc){ 0 }, "t", d, &p),
                     PC_OK);
    ck_assert_int_eq(pattern_match(p, match_cases[_i].subject,
                                   strlen(match_cases[_i].subject), &m, d,
                                   (struct pc_loc){ 0 }),
                     PC_OK);
    ck_assert_int_eq(m, match_cases[_i].match);
    ck_assert_str_eq(pattern_source(p), match_cases[_i].pattern);
    ck_assert_str_eq(pattern_owner(p), "t");
    pattern_free(p);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_pattern_length_honoured)
{
    pc_diags *d = pc_diags_new();
    struct pattern *p;
    bool m = true;

    ck_assert_int_eq(pattern_compile("X", 0, (struct pc_loc){ 0 }, NULL, d, &p),
                     PC_OK);
    ck_assert_str_eq(pattern_owner(p), "");
    /* Only the first 3 bytes are the subject. */
    ck_assert_int_eq(pattern_match(p, "abcX", 3, &m, d, (struct pc_loc){ 0 }),
                     PC_OK);
    ck_assert(!m);
    ck_assert_int_eq(pattern_match(p, NULL, 0, &m, d, (struct pc_loc){ 0 }),
                     PC_OK);
    ck_assert(!m);
    pattern_free(p);
    pattern_free(NULL);
    pc_diags_free(d);
}
END_TEST

/* The classic catastrophic backtrackers, with JIT and without. */
static const struct {
    const char *pattern;
    uint32_t flags;
} evil[] = {
    { "^(a+)+$", 0 },       { "^(a+)+$", PATTERN_NO_JIT },
    { "^(a|aa)+$", 0 },     { "^(a|aa)+$", PATTERN_NO_JIT },
    { "^(a|a)*$", 0 },      { "^(a|a)*$", PATTERN_NO_JIT },
    { "^(\\w+\\s?)*$", 0 }, { "^(\\w+\\s?)*$", PATTERN_NO_JIT },
};

START_TEST(test_pattern_pathological)
{
    /* Nearly matches: all the ways to split the a's are tried. */
    const char *subject = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";
    pc_diags *d = pc_diags_new();
    struct pc_loc loc = diag_loc(d, "manifest.xml", 9, 0);
    struct pattern *p;
    bool m = true;
    double t0, dt;
    pc_status st;

    ck_assert_int_eq(pattern_compile(evil[_i].pattern, evil[_i].flags,
                                     diag_loc(d, "r.xml", 2, 0), "EVIL-001", d,
                                     &p),
                     PC_OK);
    if (evil[_i].flags & PATTERN_NO_JIT)
        ck_assert(!pattern_is_jit(p));
    t0 = now_s();
    st = pattern_match(p, subject, strlen(subject), &m, d, loc);
    dt = now_s() - t0;
    ck_assert_int_eq(st, PC_ELIMIT);
    ck_assert(!m);
    ck_assert_msg(dt < 2.0, "gave up after %.2f s", dt);
    ck_assert(diag_has(d, "EVIL-001", evil[_i].pattern, "limit", NULL));
    ck_assert(diag_has(d, "r.xml:2", NULL));
    ck_assert_str_eq(pc_diags_get(d, pc_diags_count(d) - 1)->loc.file,
                     "manifest.xml");
    pattern_free(p);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_pattern_limits)
{
    struct pattern_limits lim = pattern_default_limits;
    pc_diags *d = pc_diags_new();
    struct pattern *p;
    bool m = true;

    /* A tiny match limit: even an honest pattern gives up - loudly. */
    lim.match = 5;
    ck_assert_int_eq(pattern_compile_limits("^(?:a|b)*$", PATTERN_NO_JIT, &lim,
                                            (struct pc_loc){ 0 }, "LIM", d, &p),
                     PC_OK);
    ck_assert_int_eq(pattern_match(p, "abababababababababa!", 20, &m, d,
                                   (struct pc_loc){ 0 }),
                     PC_ELIMIT);
    ck_assert(!m);
    ck_assert(diag_has(d, "LIM", "match limit", NULL));
    pattern_free(p);

    /* The same with JIT (unless this platform has none), once the pattern
     * is hot: it is JIT-compiled after a few matches. */
    ck_assert_int_eq(pattern_compile_limits("^(?:a|b)*$", 0, &lim,
                                            (struct pc_loc){ 0 }, "LIMJ", d,
                                            &p),
                     PC_OK);
    for (int i = 0; i < 64 && !pattern_is_jit(p); i++)
        (void)pattern_match(p, "a", 1, &m, d, (struct pc_loc){ 0 });
    ck_assert_int_eq(pattern_is_jit(p), pattern_jit_enabled());
    ck_assert_int_eq(pattern_match(p, "abababababababababa!", 20, &m, d,
                                   (struct pc_loc){ 0 }),
                     PC_ELIMIT);
    pattern_free(p);

    /* A subject over the length limit is refused before matching. */
    lim = pattern_default_limits;
    lim.max_subject = 8;
    ck_assert_int_eq(pattern_compile_limits("x", 0, &lim, (struct pc_loc){ 0 },
                                            "LEN", d, &p),
                     PC_OK);
    ck_assert_int_eq(
        pattern_match(p, "12345678", 8, &m, d, (struct pc_loc){ 0 }), PC_OK);
    ck_assert_int_eq(
        pattern_match(p, "123456789", 9, &m, d, (struct pc_loc){ 0 }),
        PC_ELIMIT);
    ck_assert(diag_has(d, "LEN", "9 bytes", "limit regex-subject=8", NULL));
    pattern_free(p);

    /* Invalid UTF-8 is an error, with its offset. */
    ck_assert_int_eq(
        pattern_compile("x", 0, (struct pc_loc){ 0 }, "UTF", d, &p), PC_OK);
    ck_assert_int_eq(
        pattern_match(p, "ab\xc3(", 4, &m, d, (struct pc_loc){ 0 }),
        PC_EINVALID);
    ck_assert(diag_has(d, "UTF", "UTF-8", "byte 2", NULL));
    pattern_free(p);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_pattern_jit)
{
    const char *env = getenv("PRIVCHECK_NO_JIT");
    pc_diags *d = pc_diags_new();
    struct pattern *p;
    uint32_t jit = 0;

    bool m;

    ck_assert_int_eq(
        pattern_compile("^abc", 0, (struct pc_loc){ 0 }, "J", d, &p), PC_OK);
    /* Where pcre2 has JIT (and valgrind or PRIVCHECK_NO_JIT do not turn
     * it off), patterns use it once they are hot: interpreted for their
     * first eight matches, with the same answers. */
    ck_assert_int_eq(pcre2_config(PCRE2_CONFIG_JIT, &jit), 0);
    for (int i = 0; i < 8; i++) {
        ck_assert(!pattern_is_jit(p));
        ck_assert_int_eq(
            pattern_match(p, "abcd", 4, &m, d, (struct pc_loc){ 0 }), PC_OK);
        ck_assert(m);
    }
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(pattern_match(p, i ? "abcd" : "xabc", 4, &m, d,
                                       (struct pc_loc){ 0 }),
                         PC_OK);
        ck_assert(m == (i != 0));
    }
    ck_assert_int_eq(pattern_is_jit(p), pattern_jit_enabled());
    if (jit == 0 || (env != NULL && env[0] != '\0' && strcmp(env, "0") != 0))
        ck_assert(!pattern_jit_enabled());
    pattern_free(p);
    ck_assert_int_eq(pattern_compile("^abc", PATTERN_NO_JIT,
                                     (struct pc_loc){ 0 }, "J", d, &p),
                     PC_OK);
    for (int i = 0; i < 12; i++)
        ck_assert_int_eq(
            pattern_match(p, "abc", 3, &m, d, (struct pc_loc){ 0 }), PC_OK);
    ck_assert(!pattern_is_jit(p));
    pattern_free(p);
    pc_diags_free(d);
}
END_TEST

/* ================================================================== */

static Suite *
classify_suite(void)
{
    Suite *s = suite_create("classify");
    TCase *tc;

    tc = tcase_create("pattern");
    tcase_add_test(tc, test_pattern_compile_error);
    tcase_add_loop_test(tc, test_pattern_match, 0, NELEM(match_cases));
    tcase_add_test(tc, test_pattern_length_honoured);
    tcase_add_loop_test(tc, test_pattern_pathological, 0, NELEM(evil));
    tcase_add_test(tc, test_pattern_limits);
    tcase_add_test(tc, test_pattern_jit);
    suite_add_tcase(s, tc);

    tc = tcase_create("normalize");
    tcase_add_loop_test(tc, test_normalize, 0, NELEM(norm_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("classifiers");
    tcase_add_unchecked_fixture(tc, load_set, free_set);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_positive, 0, NELEM(positives));
    tcase_add_loop_test(tc, test_ctx_positive, 0, NELEM(ctx_positives));
    tcase_add_loop_test(tc, test_negative, 0, NELEM(negatives));
    tcase_add_loop_test(tc, test_not_sensitive, 0, NELEM(not_sensitive));
    tcase_add_test(tc, test_every_classifier_tested);
    tcase_add_test(tc, test_file_examples);
    tcase_add_loop_test(tc, test_value, 0, NELEM(values));
    tcase_add_test(tc, test_cache_same_answer);
    tcase_add_test(tc, test_cache_many_names);
    tcase_add_test(tc, test_cache_limit);
    tcase_add_test(tc, test_name_too_long);
    tcase_add_test(tc, test_context_too_long);
    tcase_add_test(tc, test_invalid_utf8_name);
    tcase_add_test(tc, test_threads);
    tcase_add_test(tc, test_sha256);
    tcase_add_test(tc, test_find_and_info);
    tcase_add_test(tc, test_policy_coverage);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_add_unchecked_fixture(tc, setup_paths, NULL);
    tcase_add_loop_test(tc, test_broken_file, 0, NELEM(broken));
    tcase_add_test(tc, test_missing_file);
    tcase_add_test(tc, test_order_and_veto);
    tcase_add_test(tc, test_classifier_limit_is_error);
    tcase_add_loop_test(tc, test_context, 0, NELEM(ctx_cases));
    tcase_add_test(tc, test_context_cache);
    tcase_add_test(tc, test_context_cache_limit);
    tcase_add_test(tc, test_context_threads);
    tcase_add_loop_test(tc, test_explain_trace, 0, NELEM(traces));
    tcase_add_test(tc, test_examples_loaded);
    tcase_add_test(tc, test_prefix);
    tcase_add_test(tc, test_prefix_off);
    tcase_add_test(tc, test_prefix_trace);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr;
    int failed;

    xml_init();
    sr = srunner_create(classify_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    xml_cleanup();
    pattern_cleanup();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
