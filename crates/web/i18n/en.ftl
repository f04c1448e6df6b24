# Kirjo: the pages' words in English. Every key is also in fi.ftl and sv.ftl.

## Frame
skip-to-content = Skip to content
service-name = Social services client records
language-nav = Language
main-nav = Main menu
sign-out = Sign out
footer-text = Kirjo – client information system for social services. The data are confidential (Act on the Status and Rights of Social Welfare Clients, section 14).
back-to-start = To the start page
notice = Notice
saved = Saved.
save = Save
continue = Continue
search = Search

## Menu
nav-clients = My clients
my-clients-intro = Client relationships where you are the responsible worker or on the team. Viewing the list is logged.
my-clients-none = You have no client relationships in force.
my-clients-since = Since
my-clients-role = Your part
my-clients-responsible = Responsible worker
my-clients-team = On the team
nav-my-work = My work
nav-search = Client search
nav-supervision = Supervision
nav-administration = Administration
nav-data-protection = Data protection

## Roles
role-client_worker = Client worker
role-unit_supervisor = Unit supervisor
role-registry_clerk = Registry
role-main_administrator = Main administrator
role-data_protection_officer = Data protection officer
role-provider_worker = Provider's worker

## Errors
error-title = Error
error-forbidden = No access
error-not-found = Page not found
error-not-found-text = The page you are looking for does not exist.
error-too-many = Too many attempts
error-denied = You have no right to this information or action. The attempt has been logged.
error-detail = The system's reason:
error-no-client = No such client.
error-internal = Something went wrong. Nothing was saved. Try again; if it happens again, contact your main administrator.

## Sign-in
sign-in-title = Sign in
sign-in = Sign in
sign-in-hint = Use your own personal account. It must not be given to anyone else.
sign-in-missing = Give your username and password.
sign-in-wrong = The username or password is wrong.
sign-in-locked = Too many failed attempts. Sign-in is blocked for a while; try again later.
signed-out = You have signed out.
session-ended = Your session ended. Sign in again.
resume-title = Your session ended: what you sent is kept
resume-lead = Sign in again on this page, and the form you sent is saved as if the session had not ended. It is kept on this browser page only: do not close it.
resume-code-lead = The password was right. Give the one-time code too, and the form you sent is saved.
resume-send = Sign in and save
resume-other-user = Another user filled in this form. Only they can save it, by signing in with their own username.
resume-hint = If you do not want to save the form, close the page: it has not been stored anywhere else.
username = Username
password = Password

## Second factor
second-factor-title = Confirm your sign-in
second-factor-intro = Give the six-digit code your authenticator app shows.
code = Code
code-help = If the app is not at hand, give one of your recovery codes.
code-wrong = The code is wrong or already used. Check the code and try again.
code-too-many = Too many wrong codes. The session ended; sign in again.
enrol-title = Set up an authenticator app
enrol-required = Your role requires two-step verification. Set up an authenticator app to go on.
enrol-step-scan = Scan the QR code with an authenticator app (for example Google Authenticator, Microsoft Authenticator or FreeOTP).
enrol-qr-label = QR code for the authenticator app
enrol-step-type = If you cannot scan the code, type this key into the app:
enrol-step-code = Give the six-digit code the app shows
enrol-confirm = Confirm
recovery-title = Recovery codes
recovery-intro = Keep these codes somewhere safe. Each can be used once if the authenticator app is not at hand. They are shown only now.
recovery-left = { $count ->
    [one] { $count } recovery code left
   *[other] { $count } recovery codes left
}

## Password
password-title = Change password
password-forced = You must change your password before you go on.
password-rules = A password needs at least 12 characters. Common or leaked passwords are refused. A long sentence makes a good password.
password-current = Current password
password-new = New password
password-repeat = New password again
password-mismatch = The passwords differ.
reauth-title = Confirm it is you
reauth-intro = This action needs your password again.
reauth-wrong = The password or the code is wrong.
reauth-code = Authenticator code
reauth-code-hint = Deciding a decision needs the code from your authenticator app too. For other actions the password is enough.

## Start page
start-greeting = Hello, { $name }
start-roles = Your rights
start-no-roles = You have no rights in force. Contact your supervisor.
commitment-title = User commitment
commitment-accept = I accept the user commitment
commitment-changed = The user commitment has changed. Read the new version and accept it.

## Own account
account-title = My account
account-second-factor = Two-step verification
account-second-factor-on = On
account-second-factor-off = Off
account-enrol = Set up an authenticator app
account-replace-second-factor = Replace the authenticator app

## Search
search-outside = Search outside your client relationships
search-outside-intro = When a matter is urgent and the client's own worker cannot be reached, you may search in a service area that allows it by stating the purpose. The search and the purpose are logged and reviewed by the data protection officer.
search-outside-go = Search with the purpose
search-title = Find a client
search-help = Search by name, identity code or birth date. Every search is logged.
search-name = Name
search-birth-date = Birth date (dd.mm.yyyy)
search-results = { $count ->
    [0] No results
    [one] { $count } result
   *[other] { $count } results
}
search-bad-date = The birth date is not valid. Write it as 1.2.2015.
search-bad-code = The identity code is not valid: { $reason }
search-empty = Give a name, an identity code or a birth date.

## Client
relation-scope = mandate: { $scope }
relation-access-yes = right of access
relation-access-no = no right of access
relation-since = since { $date }
relation-until = until { $date }
source-vtj = from the population register
source-client = told by the client
source-worker = recorded by a worker
cancel = Cancel
client-edit = Edit basic data
client-revealed = Protected data shown for the reason: { $reason }. The viewing is logged.
reveal = Show the protected data
reveal-reason = Reason for showing the data
reveal-reason-missing = Write a reason for showing protected data.
form-new-title = Add a person
form-edit-title = Edit basic data
form-errors = Correct the errors in the form. Nothing was saved.
form-protected = The person has a non-disclosure order: address and contact data are neither shown nor changed in this form.
form-group-identity = Person
form-group-other = Other data
form-identity-code-hint = If the person has no identity code, give the birth date.
form-birth-date-hint = Only if there is no identity code.
form-citizenship-hint = Country codes separated by commas, for example FI, SE.
form-one-per-line = One per line.
form-street = Street address
form-postal-code = Postal code
form-post-office = Post office
form-address-municipality = Municipality of the address
field-first-names = First names
field-surname = Surname
field-name = Name
field-identity-code = Personal identity code
field-birth-date = Birth date
field-calling-name = Calling name
field-mother-tongue = Mother tongue
field-service-language = Language of service
field-occupation = Occupation
field-workplace = Workplace
field-citizenship = Citizenship
field-home-municipality = Municipality of residence
field-phone = Phone
field-email = Email
field-none = No data
address-permanent = Permanent address
address-temporary = Temporary address
address-postal = Postal address
client-protected = Non-disclosure for personal safety: address and contact data are hidden.
client-deceased = Died { $date }
client-basic = Basic data
client-contact = Contact data
client-contact-protected = The data are under a non-disclosure order. They are shown only for a stated reason, and the viewing is logged.
client-family = Family and representatives
client-relationships = Client relationships
client-area = Service area
client-unit = Unit
client-period = Period
client-worker = Responsible worker
client-access = Access basis:
relation-guardian = Guardian
relation-parent_without_custody = Parent (not a guardian)
relation-legal_representative = Legal representative
relation-authorised_person = Authorised person
relation-next_of_kin = Next of kin
relation-contact_person = Contact person
relation-household_member = Lives in the same household
purpose-title = Purpose of use
purpose-intro = You have no client relationship with this client. You can open the data only by stating a purpose. The purpose and the viewing are logged and reviewed by the data protection officer.
purpose-choose = Why are you opening the client's data?
purpose-text = Reason in your own words
purpose-open = Open the client's data
purpose-missing = Choose a purpose and write a reason.
purpose-refused = The chosen purpose does not open this client's data. The attempt has been logged.

## Rights
proposals-title = Proposals of rights
proposals-none = No proposals.
proposal-kind = Proposal
proposal-user = User
proposal-role = Role
proposal-valid = Valid
proposal-reason = Reason
proposal-status = Status
proposal-open = Awaiting decision
proposal-approved = Approved
proposal-rejected = Rejected
proposal-kind-grant = New right
proposal-kind-change = Change
proposal-kind-remove = Removal
decision-reason = Reason for the decision
decision-approve = Approve
decision-reject = Reject
decision-reason-missing = Write a reason for the decision.

## Data protection
flags-title = Uses to review
flags-none = No uses to review.
flag-when = Time
flag-kind = Why flagged
flag-user = User
flag-client = Client
flag-explanation = Basis
flag-review = Review
flag-outcome = Outcome
flag-outcome-justified = Justified
flag-outcome-needs_investigation = Needs investigation
flag-outcome-misuse_suspected = Misuse suspected
flag-note = Note
flag-count = Uses
flag-rows = Log rows
flags-grouped = A user's uses flagged for the same reason on the same day are one line, reviewed together.
flag-outside_relationship = Use outside a client relationship
flag-turvakielto = Client under non-disclosure
flag-own_family = Own family
flag-same_surname = Same surname
flag-same_address = Same address
flag-many_clients_in_hour = Many clients in an hour
flag-outside_working_hours = Outside working hours
review-bad = Choose the outcome of the review.
review-note-missing = Write a note of the review.

## Accessibility statement
a11y-title = Accessibility statement
a11y-intro = This statement covers the staff pages of the Kirjo client information system. The Act on the Provision of Digital Services (306/2019) requires public services' websites to be accessible.
a11y-status-title = Status
a11y-status = The pages are made to meet WCAG 2.1 level AA. Every function works by keyboard and without JavaScript, and the pages work at 200% zoom.
a11y-tested-title = How accessibility is checked
a11y-tested = Every page is checked automatically with axe-core at every change.
a11y-feedback-title = Feedback
a11y-feedback = If you find an accessibility gap, tell your organisation's main administrator.
a11y-authority-title = Supervisory authority
a11y-authority = If you get no answer within 14 days, you can report it to the supervisory authority for digital accessibility. Current contact details are at www.webaccessibility.fi.

## Log
log-client-title = Log extract, client { $id }
log-client-intro = Who has used the client's data, when, what and for what purpose, and to whom data were disclosed. Making the extract is logged.
log-from = From
log-to = To
log-show = Show
log-csv = Download as a CSV file
log-uses = { $count ->
    [0] No uses
    [one] { $count } use
   *[other] { $count } uses
}
log-disclosures = { $count ->
    [0] No disclosures
    [one] { $count } disclosure
   *[other] { $count } disclosures
}
log-action = Action
log-data = Data
log-purpose = Purpose
log-result = Result
log-allowed = Allowed
log-denied = Denied
log-recipient = Recipient
log-basis = Basis
log-bad-period = The period is not valid: give dates, the start before the end.
trail-title = My own trail
trail-intro = Everything the use log holds under your name.
extract-title = Log extract for a data subject
extract-intro = For a subject access request: give the identity code to see who has used the person's data. The lookup and the extract are logged.
extract-make = Make the log extract
samples-title = Samples
samples-intro = A random sample of the unit's users' accesses to client data, for review. The outcome of every review is recorded.
samples-none = No samples.
sample-size = Sample size
sample-draw = Draw a sample
sample-bad-size = The sample size must be 1–500.
sample-title = Sample, unit { $unit }
sample-intro = Review each access: was there a reason for it?
sample-empty = There were no accesses in the period.
sample-progress = reviewed { $done }

## Documents
documents-title = Documents
band-label = Client
band-age-label = Age
band-age = { $years } years
band-deceased = deceased
band-protected = Non-disclosure for safety reasons
documents-of = Documents – { $name }
person-added = The person has been saved. Their data do not open to you, as they are not a client of your unit; you can add the next person.
documents-back = The client's basic data
documents-filter = Service area
documents-all = All
documents-none = No documents you may see.
documents-document = Document
documents-corrected = corrected
narrative-new = New client narrative entry
narrative-edit = Edit the draft
narrative-correct = Correct the document
narrative-correct-intro = The correction is saved as a new version. The original stays, and the history shows who corrected it, when and why.
narrative-entry = Kind of entry
narrative-date = Date
date-invalid = The date cannot be read; shown is when it was written:
narrative-text = Entry
narrative-agreed = What was agreed
narrative-agreed-hint = For meetings and negotiations: what was agreed and who does what.
narrative-reason = Reason for the correction
narrative-reason-missing = Say why the document is corrected.
narrative-save-draft = Save the draft
narrative-save-correction = Save the correction
doc-client = Client
doc-organiser = Organiser of the service
doc-producer = Producer of the service
doc-author = Author
doc-created = Written
doc-definition = National definition
doc-metadata = About the document
doc-complete = Complete: lock the document
doc-save-and-complete = Complete: save and lock
complete-confirm-title = Lock the document?
complete-confirm-lead = The draft has been saved as shown here. A completed document can no longer be edited: it can only be corrected as a new version, and the correction shows in its history.
complete-confirm = Lock the document
complete-keep-editing = Keep editing
discard-confirm-title = Discard the draft?
discard-confirm-lead = A discarded draft leaves the timeline and your drafts, and it cannot be restored for editing. Discarding is logged.
doc-discard = Discard the draft
doc-history = Versions
doc-version = Version { $n }
doc-corrected-because = corrected because: { $reason }
doc-superseded = A newer, corrected version of this document exists.
doc-state-draft = Draft
doc-state-completed = Completed
doc-state-discarded = Discarded
narrative-task = Service task
notification-new = New child welfare notification
notification-what = Notification
notification-handling = Handling
notification-received = Received
notification-reporter = Reporter
notification-reporter-who = About the reporter
notification-reporter-first-names = Reporter's first names
notification-reporter-surname = Reporter's surname
notification-reporter-title = Reporter's title
notification-reporter-organisation = Reporter's organisation
notification-channel = How it arrived
notification-content = What was reported
notification-urgency = Urgency assessment
notification-urgency-note = Grounds of the assessment
notification-decision = Decision on starting a service-need assessment
notification-decided-on = Date of the decision
notification-reasons = Reasons, if no assessment is started
notification-child-told = The child was told
notification-guardian-told = A guardian was told
notification-deadlines = Deadlines
notification-start-due = Decision on starting the assessment by
notification-completion-due = Assessment completed by
notification-late = Late
reporter-professional = Professional (duty to report)
reporter-private_person = Private person
reporter-anonymous = Anonymous
channel-phone = By phone
channel-letter = By letter
channel-electronic = Electronically
channel-in_person = In person
urgency-immediate = The child needs protection at once
urgency-not_immediate = No immediate need of protection
decision-start = The assessment is started
decision-not_started = No assessment is started
deadlines-title = Deadlines of child welfare notifications
deadlines-open = No decision yet
guardian-request = A guardian's request
guardian-answer-for = Guardian: { $name }
guardian-withheld = The child has forbidden giving their data to the guardian, and the prohibition was accepted. No document of the child is given to the guardian. This look is logged.
guardian-may-give = These completed documents may be given to the guardian. The disclosure is logged.
prohibition-title = A minor's prohibition on giving data to a guardian
prohibition-intro = A minor may forbid giving their data to their guardian when, given their age and maturity, they can judge what it means and it is not against their interest. Record the prohibition and its grounds, or why it was not accepted.
prohibition-accepted = Prohibition accepted
prohibition-not-accepted = Prohibition not accepted
prohibition-made-on = Made on
prohibition-decision = Decision
prohibition-reason = Grounds
prohibition-record = Record the prohibition
doc-files = Attachments
doc-checksum = checksum
file-add = Add an attachment
file-choose = File
file-hint = PDF, JPEG, PNG or a text file, at most 10 MB. The attachment is saved in the draft and locked with it when the document is completed.
file-send = Attach the file
file-none = Choose a file to attach.
file-empty = The file is empty.
file-too-large = The file is larger than 10 MB.
file-type = This type of file cannot be attached. Allowed: PDF, JPEG, PNG and text files.
file-mismatch = The file's content does not match its type ({ $type }). Save the file again in the right format.
file-name = The file name is missing, too long (over 200 characters), or has characters a name cannot have (/, \ or a control character). Rename the file.
file-broken = The form could not be read. Please try again.

# Form kinds of documents
doc-new = New document: { $kind }
doc-content = Content
doc-new-kind = New document
documents-kind = Kind of document
form-required-note = Fields marked with an asterisk (*) are required; those with two (**) are needed before the document is completed.
parties-legend = Service to the parties
parties-hint = Record each party the decision is served to, how, and the day it was served. Empty rows are left out.
parties-row = Party { $n }
parties-name = Name of party { $n }
parties-method = How party { $n } was served
parties-served-on = Day party { $n } was served
parties-party = Party
parties-how = How
parties-when = Served
parties-not-served = not yet
documents-show = Show
prohibition-covers = Covers documents { $documents }
prohibition-back = Back to the client's data
prohibition-scope = Which documents the prohibition covers
prohibition-scope-all = All of the child's documents
prohibition-scope-some = Only the documents ticked below, with their corrections
prohibition-documents = Documents to tick
prohibition-documents-help = The list holds the child's documents of the service areas where the child is your client. If the prohibition covers only some of them, tick those; it covers their later corrections too.
prohibition-end = End the prohibition
prohibition-ended-on = The prohibition ends on
prohibition-end-reason = Why it ends
prohibition-end-conflict = The child has no such prohibition in force before that day.
prohibition-assessment = Assessment
prohibition-assessment-help = The prohibition is accepted only if, by their age and maturity, the child can judge what it means, has a weighty reason, and it is not clearly against the child's interest. The child's age is counted from the birth date.
prohibition-age-and-maturity = The child's age and maturity
prohibition-age-and-maturity-help = How you assess the child's ability to understand what the prohibition means.
prohibition-mature-enough = By their age and maturity, can the child judge what the prohibition means?
prohibition-weighty-reason = The weighty reason the child gives
prohibition-against-interest = Is the prohibition clearly against the child's interest?
prohibition-child-told-on = Day the child was told the outcome
prohibition-dates-help = A prohibition is recorded on the day it is made: the date cannot be before today.
prohibition-yes = Yes
prohibition-no = No
prohibition-date-past = The date cannot be before today: a prohibition is not recorded retroactively.
prohibition-end-past = The end date cannot be before today: an end is not recorded retroactively.
prohibition-told-before-made = The child cannot have been told the outcome before the prohibition was made.
prohibition-accepted-against-interest = A prohibition clearly against the child's interest cannot be accepted.
prohibition-accepted-not-mature = The prohibition can be accepted only if, by their age and maturity, the child can judge what it means.
prohibition-text-unusable = The text has characters that cannot be stored.
prohibition-age = aged { $age }
pager-rows = Rows { $first }–{ $last } of { $total }
pager-pages = Pages
pager-previous = Previous
pager-next = Next
pager-bad-page = The page number is a whole number, 1 or more.

## Matters
nav-matters = Matters
client-matters = Matters
matters-title = The client's matters
matter-title = Matter
matter-back-to-client = The client's data
matters-none = The client has no matters in the service areas where you have the client.
matter-open = Open a matter
matter-open-hint = A matter starts with a notification, a request, a contact or an application. If the client already has an open matter in the same service area, the document joins it and no new deadlines start.
matter-task = Service task
matter-choose = Choose
matter-started-by = How the matter started
matter-started-on = Day the matter started
matter-started-on-hint = The day the notification, request or contact arrived. That day is not counted in the deadline.
matter-document = Document that started the matter
matter-no-document = No document
matter-highest-care-allowance = The client receives the highest care allowance (Social Welfare Act §36)
matter-closed-on = closed { $date }
matter-rule = Deadlines
matter-start-deadline = Assessment started (7 weekdays)
matter-completion-deadline = Assessment completed (3 months)
matter-days-open = Days since the matter started
matter-steps = Steps of the handling
matter-no-steps = No steps recorded yet.
matter-step = Step
matter-step-on = Day
matter-outcome = Outcome
matter-recorded-by = Recorded by
matter-documents = The matter's documents
matter-no-documents = No documents joined to the matter.
matter-record-step = Record a step
matter-record = Record
matter-responsible = Responsible worker
matters-open-title = Open matters
matters-open-hint = Late first, then by the nearest deadline.
matters-mine = My matters
matters-none-open = No open matters.
matters-units = The unit's matters
matters-per-worker = Per worker
matters-open-count = Open
matters-chart-heading = Deadlines by month
matters-chart-description = Done on time and late by the month the deadline fell in, the last 12 months, for the matters of the units you supervise. Late bars are hatched.
matters-chart-start = Decision to start the assessment within 7 weekdays
matters-chart-completion = Service-need assessment completed within 3 months
matters-chart-on-time = On time
matters-chart-month = Month
matters-chart-table = The figures as a table: { $title }
matters-late-count = Late
matter-started-by-child_welfare_notification = Child welfare notification
matter-started-by-assessment_request = Request to assess the need for child welfare
matter-started-by-anticipatory_notification = Anticipatory child welfare notification
matter-started-by-other_contact = Other contact
matter-started-by-application = Application
matter-rule-child_welfare = A child's matter: whether an assessment starts is decided by the 7th weekday and it is completed within 3 months (Child Welfare Act §26, Social Welfare Act §36).
matter-rule-adult_priority = The assessment starts by the 7th weekday (Social Welfare Act §36: aged 75 or over, or on the highest care allowance).
matter-rule-none = No statutory deadline: the assessment is made without undue delay.
matter-phase-urgency_assessed = Urgency assessed
matter-phase-assessment_decided = Decision on starting the assessment
matter-phase-informed = Child and guardian informed
matter-phase-assessment_completed = Service need assessment completed
matter-phase-closed = Matter closed
matter-phase-urgency_assessed-hint = The child's need for urgent help is assessed at once.
matter-phase-assessment_decided-hint = A social worker decides by the 7th weekday whether a service need assessment starts.
matter-phase-informed-hint = The child and guardian are told within 7 weekdays that the notification arrived.
matter-phase-assessment_completed-hint = The assessment is completed within 3 months of the start.
matter-phase-closed-hint = The close of the matter and its reason. No step can be recorded after it.
matter-outcome-urgent = Urgent
matter-outcome-not_urgent = Not urgent
matter-outcome-started = Assessment starts
matter-outcome-not_started = No assessment
matter-close-no_need = No need for services
matter-close-client_work_continues = Client work continues under a client plan
matter-close-transferred = Transferred to another municipality or county
matter-close-withdrawn = Withdrawn
matter-close-other = Other reason
matter-on-time = on time { $date }
matter-done-late = { $days ->
    [one] { $days } day late
   *[other] { $days } days late
}
matter-days-left = { $days ->
    [0] due today
    [one] { $days } day left
   *[other] { $days } days left
}
matter-days-late = { $days ->
    [one] { $days } day late
   *[other] { $days } days late
}
matter-no-deadline = –
matter-no-such-task = No such service task.
matter-bad-document = The document cannot open this matter: it must be the client's notification, contact or application in the same service area, not joined to another matter.
matter-open-exists = The client already has an open matter in this service area (matter { $id }). Choose a document to join it.
matter-phase-recorded = That step is recorded already. A recorded step is not replaced.
matter-closed = The matter is closed; no more steps can be recorded.
matter-phase-too-early = The day is before the matter started or before the step it follows.
matter-phase-not-started = No decision to start the assessment was recorded.
matter-phase-child-only = This step belongs to a child's matter only.

## Statistics
nav-statistics = Statistics
stats-title = Statistics for THL
stats-hint = The figures of the units you supervise. Each matter counts in the period where its deadline falls. Counts from 1 to 4 are suppressed (<5) so that no one can be recognised.
stats-periods = Periods
stats-processing-times = Child welfare processing times
stats-counted-on = counted
stats-due = Due to THL by { $date }.
stats-unit = Unit
stats-start = Assessment started within 7 weekdays
stats-completion = Assessment completed within 3 months
stats-total = total
stats-on-time = on time
stats-late = late
stats-pending = not yet due
stats-all-units = All units
stats-yearly = Matters and notifications of
stats-matters-started-by = Matters by how they started
stats-notifications-by-reporter = Child welfare notifications by reporter
stats-what = Figure
stats-kind = Kind
stats-count = Count
stats-none = No matters.
stats-download-csv = Download CSV
stats-download-xlsx = Download Excel (XLSX)
stats-download-hint = A downloaded file is recorded as a statistics disclosure to THL.
# Client relationships: the basis they are opened on
client-basis = Basis
basis-legacy = Opened before Kirjo recorded a basis
basis-document = Document { $id }
basis-assignment = Assigned by the supervisor ({ $name })
basis-purpose = Stated purpose: { $purpose }
basis-backdated = Backdated start: { $reason }
flag-relationship_opened = Relationship on a person the user could not see before
flag-relationship_by_purpose = Relationship opened by a stated purpose
flag-relationship_backdated = Relationship with a backdated start
relationship-basis-required = Choose the basis of the relationship: a document, the supervisor's assignment or a purpose.
relationship-document-required = Give the document's number.
relationship-purpose-required = Choose a purpose.
relationship-purpose-text-required = State the purpose in your own words.
relationship-backdating-reason-required = A relationship starting on a past day needs a reason.
relationship-refused-basis = Choose the basis of the relationship.
relationship-refused-document_id = That is not a document that starts client work for this client in this service area.
relationship-refused-responsible_worker_id = The responsible worker must be a client worker of this unit and service area.
relationship-refused-purpose = Choose a purpose and state it in your own words.
relationship-refused-backdating_reason = A relationship starting on a past day needs a reason.

# A relation to a person the user may not see
relation-unseen = A person you have no access to
relation-unseen-accepted = Accepted. A relation to a person you have no access to is recorded if the person is in the register; nothing of theirs is shown.
flag-relation_to_unseen = Relation to a person the user cannot see
matters-table = Matters and their deadlines

# Optimistic concurrency: a save that met a newer version (docs/concurrency.md)
conflict-title = Someone else saved this in the meantime
conflict-text = Someone else saved this after you opened it, so your changes were not saved yet. Nothing you typed is lost: compare the two versions below, merge them in the form and save again.
conflict-reload = Someone else changed this after you opened it, so nothing was done. Open it again to see what is stored now.
conflict-caption = The fields that differ
conflict-field = Field
conflict-typed = What you typed
conflict-stored = Saved now
conflict-same = What you typed is the same as what is saved now; save again to confirm.
conflict-party = Party { $n }
yes = Yes
no = No

# Decisions (docs/decisions.md)
decision-act = Deciding and serving
decision-decided-by = Decided by
decision-decided-on = Decided on
decision-appeal-means = How to seek a change
decision-appeal-days = { $n } days from service
decision-appeal-deadline = The appeal period ends
decision-not-all-served = Not known yet: the decision has not been served to every party.
decision-final = Final
decision-not-final = Not final
decision-appeal-instructions = Appeal instructions
decision-service = Serving to the parties
service-sent-on = Sent or handed over
service-served-on = Day of service
service-appeal-ends = Last day of appeal
service-record = Record the serving: { $name }
service-method-post = By post (the 7th day after sending)
service-method-in_person = In person (the day handed over)
service-method-electronic = Electronically (the 3rd day after sending)
service-receipt-on = Date on the receipt
service-receipt-hint = By post only: when a receipt shows another day.
service-save = Record the serving
decision-mark-final = Mark final
decision-final-appeal_periods_passed = Every party’s appeal period has passed
decision-final-appeal_waived = The appeal was waived (give the reason)
decision-final-reason = Reason
decision-printout = The decision’s printout data (JSON)
decision-named-maker = Decision maker
decision-decide-intro = You are named the decision maker of this decision. It is locked when you decide it; the appeal instructions follow its legal basis. Deciding needs your authenticator code again.
decision-decide = Decide
decision-awaiting = Waiting for the decision maker: { $name }. Only the named decision maker can decide it.
appeal-means-appeal = Appeal to the administrative court
appeal-means-rectification = Request for review
decisions-to-decide = Decisions waiting for you to decide
decisions-drafted-by = drafted by { $name }
notification-reporter-confidential = The reporter's data are kept confidential
notification-confidentiality-grounds = Grounds for confidentiality

relationship-title = Open a client relationship
relationship-new = Open a client relationship
relationship-back = Back to the client's data
relationship-intro = A client relationship is opened on a basis Kirjo records and shows: a document that starts client work, an assignment by the supervisor, or a stated purpose. A relationship on a person you could not see before, a start date in the past and one opened by a purpose are reviewed by the supervisor and the data protection officer.
relationship-place = Service area and unit
relationship-choose = Choose
relationship-basis-document = A document that starts client work (child welfare notification, application or contact)
relationship-basis-assignment = The supervisor's assignment: I name the responsible worker
relationship-basis-purpose = A stated purpose
relationship-document = The document's number
relationship-document-hint = The number is in the document's address (/documents/number).
relationship-worker = Responsible worker
relationship-worker-self = Myself
relationship-purpose = Purpose
relationship-purpose-text = The purpose in your own words
relationship-started-on = Start date
relationship-backdating-reason = Why the start date is in the past
relationship-backdating-hint = Needed only when the start date is before today.
relationship-number = Give a number.
relationship-open = Open the relationship
# Security keys and passkeys (WebAuthn)
keys-title = Security keys and passkeys
keys-count = { $count ->
    [one] { $count } registered
   *[other] { $count } registered
}
keys-manage = Security keys and passkeys
keys-intro = A security key or a passkey (on your phone or computer) can be used instead of the authenticator app's code when you sign in or confirm an action. Register more than one, or keep the authenticator app as well, so that losing one does not lock you out.
keys-none = You have no security keys or passkeys.
keys-registered = Your security keys and passkeys
keys-name = Name
keys-name-help = A name that tells you which key this is, for example "Yellow key" or "Work phone". At most 60 characters.
keys-name-invalid = Give the key a name of 1 to 60 characters.
keys-added = Added
keys-last-used = Last used
keys-never = Never
keys-actions = Actions
keys-remove = Remove
keys-add-title = Add a security key or passkey
keys-add = Add
keys-needs-script = Adding a security key or passkey needs a browser that supports them, with JavaScript on. You can still sign in with the authenticator app's code.
keys-added-notice = The security key or passkey was added.
keys-removed-notice = The security key or passkey was removed.
keys-last = This is your last second factor, and your role requires one. Add another security key or the authenticator app first.
keys-off = Security keys and passkeys are not in use in this installation.
keys-or = Or use a security key or passkey instead of the code.
keys-use = Use a security key or passkey
keys-failed = The security key or passkey could not be used. Try again, or give the code.
keys-cancelled = Using the security key or passkey was cancelled or timed out. Try again, or give the code.
keys-refused = The security key or passkey was not accepted. Try again, or give the code.

start-drafts = My drafts
start-edited = edited { $when }
start-recent = Clients opened lately
start-opened = opened { $when }
# Printouts and the privacy notice
print-pdf = Print PDF
notice-languages = Language of the notice
notice-link = Privacy notice
