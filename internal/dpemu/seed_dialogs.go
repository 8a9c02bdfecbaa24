package dpemu

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// dialogState is the life-cycle situation a generated dialog is put in.
type dialogState int

const (
	stateNew dialogState = iota
	stateDraft
	stateSent
	stateCompleted
	stateArchived
	stateBinned
	stateExpired
	stateFuture
	stateDeleted
	stateUnopened
)

// dialogSpec describes one dialog to generate.
type dialogSpec struct {
	party     Party
	owner     *ownerSpec
	res       *resourceSpec
	created   time.Time
	state     dialogState
	secretTx  bool   // add a transmission the caller may not read (authorizationAttribute)
	seenBy    []User // persons who have seen it
	lean      bool   // fewer parts (bulk scenarios)
	hugeFile  bool   // one ~1 GiB attachment
	confirm   bool   // correspondence requiring confirmation
	confirmed bool
}

// Sub-resources used as authorizationAttribute in generated dialogs.
const (
	attrSigning      = "urn:altinn:subresource:signering"
	attrConfidential = "urn:altinn:subresource:konfidensielt"
)

func (g *gen) pick(n int) int { return g.rnd.IntN(n) }

func fill(t Text, n int) Text {
	out := make(Text, len(t))
	for i, l := range t {
		out[i] = Localization{LanguageCode: l.LanguageCode, Value: strings.ReplaceAll(l.Value, "%d", fmt.Sprint(n))}
	}
	return out
}

// title fills a title template, sharing the result between dialogs with the same number.
func (g *gen) title(res *resourceSpec, i, num int) Text {
	key := fmt.Sprintf("%s#%d#%d", res.id, i, num)
	if t, ok := g.titles[key]; ok {
		return t
	}
	t := fill(res.titles[i], num)
	g.titles[key] = t
	return t
}

func plain(t Text) ContentValue { return ContentValue{Value: t, MediaType: MediaTextPlain} }

func plainPtr(t Text) *ContentValue { v := plain(t); return &v }

// embed returns a front-channel embed value with one URL per language (only nb when lean, to
// keep the bulk scenarios small in memory).
func embed(url string, html, lean bool) *ContentValue {
	mt := MediaEmbedMarkdown
	if html {
		mt = MediaEmbedHTML
	}
	langs := []string{"nb", "nn", "en"}
	if lean {
		langs = langs[:1]
	}
	var t Text
	for _, l := range langs {
		t = append(t, Localization{LanguageCode: l, Value: url + "?lang=" + l})
	}
	return &ContentValue{Value: t, MediaType: mt}
}

var (
	serviceOwnerActor = Actor{Type: ActorServiceOwner}
	fileNames         = []Text{
		tr("Vedtak.pdf", "Vedtak.pdf", "Decision.pdf"), tr("Kvittering.pdf", "Kvittering.pdf", "Receipt.pdf"),
		tr("Beregningsgrunnlag.xlsx", "Utrekningsgrunnlag.xlsx", "Calculation basis.xlsx"), tr("Sjekkliste.pdf", "Sjekkliste.pdf", "Checklist.pdf"),
	}
	deleteTitle  = tr("Slett", "Slett", "Delete")
	deletePrompt = tr("Utkastet slettes for godt.", "Utkastet blir sletta for godt.", "The draft will be deleted permanently.")
	fileTypes    = []string{"application/pdf", "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf"}
)

// dialog builds one dialog following spec.
func (g *gen) dialog(s dialogSpec) *Dialog {
	created := norm(s.created)
	id := g.ids.v7(created)
	num := 2019 + g.pick(7)
	if s.res.typ == ResourceTypeCorrespondence && !s.lean {
		num = 100000 + g.pick(900000)
	}
	d := &Dialog{
		ID: id, Org: s.owner.code, ServiceResource: s.res.id, ServiceResourceType: s.res.typ, Party: s.party.URN,
		CreatedAt: created, UpdatedAt: created, ContentUpdatedAt: created, Status: StatusNotApplicable,
		Content: Content{
			Title:      plain(g.title(s.res, g.pick(len(s.res.titles)), num)),
			Summary:    plainPtr(s.res.summaries[g.pick(len(s.res.summaries))]),
			SenderName: plainPtr(s.owner.name),
		},
		SearchTags: []string{s.owner.code, strings.TrimPrefix(s.res.id, "urn:altinn:resource:")},
	}
	if s.res.minLevel >= 4 {
		d.Content.NonSensitiveTitle = plainPtr(tr("Melding fra "+s.owner.name.Get("nb"), "Melding frå "+s.owner.name.Get("nn"), "Message from "+s.owner.name.Get("en")))
		d.Content.NonSensitiveSummary = plainPtr(tr("Logg inn med høyere sikkerhetsnivå for å lese.", "Logg inn med høgare tryggleiksnivå for å lese.", "Log in with a higher security level to read."))
	}
	d.Activities = make([]Activity, 0, 4)
	d.Activities = append(d.Activities, Activity{ID: g.ids.v7(created), CreatedAt: created, Type: ActivityDialogCreated, PerformedBy: serviceOwnerActor})
	switch s.res.typ {
	case ResourceTypeCorrespondence:
		g.correspondence(d, s)
	case ResourceTypeApp:
		g.appInstance(d, s)
	default:
		g.information(d, s)
	}
	if s.secretTx {
		g.transmission(d, s, TransmissionInformation, nil, attrConfidential,
			tr("Fortrolig melding", "Fortruleg melding", "Confidential message"))
	}
	g.applyState(d, s)
	return d
}

// at returns a time after t but not after now.
func (g *gen) after(t time.Time, maxHours int) time.Time {
	n := t.Add(time.Duration(1+g.pick(maxHours))*time.Hour + time.Duration(g.rnd.Int64N(int64(time.Hour))))
	if n.After(g.now) {
		n = g.now.Add(-time.Duration(1+g.pick(60)) * time.Minute)
		if n.Before(t) {
			n = t
		}
	}
	return norm(n)
}

// touch moves the dialog's updatedAt (and contentUpdatedAt) to at when later.
func touch(d *Dialog, at time.Time, content bool) {
	if at.After(d.UpdatedAt) {
		d.UpdatedAt = at
	}
	if content && at.After(d.ContentUpdatedAt) {
		d.ContentUpdatedAt = at
		if at.After(d.UpdatedAt) {
			d.UpdatedAt = at
		}
	}
}

func (g *gen) activity(d *Dialog, t ActivityType, at time.Time, by Actor, tid *uuid.UUID, desc Text) {
	d.Activities = append(d.Activities, Activity{ID: g.ids.v7(at), CreatedAt: at, Type: t, PerformedBy: by, TransmissionID: tid, Description: desc})
	touch(d, at, false)
}

// transmission appends a transmission with front-channel content and returns its id.
func (g *gen) transmission(d *Dialog, s dialogSpec, typ TransmissionType, related *uuid.UUID, attr string, title Text) uuid.UUID {
	last := d.ContentUpdatedAt
	at := g.after(last, 72)
	tid := g.ids.v7(at)
	sender := serviceOwnerActor
	if typ.FromParty() {
		sender = Actor{Type: ActorPartyRepresentative, ID: s.party.URN, Name: s.party.Name}
	}
	t := Transmission{ID: tid, CreatedAt: at, Type: typ, Sender: sender, RelatedTransmissionID: related, AuthorizationAttribute: attr,
		Title:            plain(title),
		Summary:          plainPtr(tr("Se innholdet i meldingen.", "Sjå innhaldet i meldinga.", "See the message content.")),
		ContentReference: embed(fmt.Sprintf("%s/serviceowner/%s/dialogs/%s/transmissions/%s/content", g.base, d.Org, d.ID, tid), s.owner.legacyHTML, s.lean)}
	if !s.lean && g.pick(3) == 0 {
		t.Attachments = append(t.Attachments, g.soAttachment(d, at, false))
	}
	if !s.lean && g.pick(4) == 0 {
		t.NavigationalActions = append(t.NavigationalActions, NavigationalAction{
			Title: tr("Se saken", "Sjå saka", "View the case"), URL: fmt.Sprintf("%s/serviceowner/%s/dialogs/%s/actions/open", g.base, d.Org, d.ID)})
	}
	d.Transmissions = append(d.Transmissions, t)
	touch(d, at, true)
	return tid
}

// soAttachment is an attachment served by the service-owner side.
func (g *gen) soAttachment(d *Dialog, at time.Time, huge bool) Attachment {
	i := g.pick(len(fileNames))
	aid := g.ids.v7(at)
	size := int64(20_000 + g.pick(2_000_000))
	name, mt := fileNames[i], fileTypes[i]
	if huge {
		size = 1<<30 + int64(g.pick(1<<20))
		name, mt = tr("Grunnlagsdata.zip", "Grunnlagsdata.zip", "Source data.zip"), "application/zip"
	}
	return Attachment{ID: aid, DisplayName: name, Name: name.Get("nb"), Size: size, ContentSeed: g.rnd.Uint64(),
		URLs: []AttachmentURL{{ID: g.ids.v7(at), URL: fmt.Sprintf("%s/serviceowner/%s/attachments/%s", g.base, d.Org, aid), MediaType: mt, ConsumerType: ConsumerGui}}}
}

func (g *gen) correspondence(d *Dialog, s dialogSpec) {
	corr := g.ids.v4()
	base := fmt.Sprintf("%s/correspondence/api/v1/correspondence/%s", g.base, corr)
	d.ServiceOwnerLabels = []string{"urn:altinn:correspondence-id:" + corr.String()}
	d.ExternalReference = fmt.Sprintf("REF-%d", 10000+g.pick(90000))
	d.Content.MainContentReference = &ContentValue{MediaType: MediaEmbedMarkdown,
		Value: Text{{LanguageCode: "nb", Value: base + "/content"}}}
	d.ApiActions = append(d.ApiActions,
		ApiAction{ID: g.ids.v7(d.CreatedAt), CreatedAt: d.CreatedAt, Action: "read", Name: "getCorrespondence",
			Endpoints: []ApiActionEndpoint{{ID: g.ids.v7(d.CreatedAt), URL: base, HTTPMethod: "GET"}}},
		ApiAction{ID: g.ids.v7(d.CreatedAt), CreatedAt: d.CreatedAt, Action: "write", Name: "purgeCorrespondence",
			Endpoints: []ApiActionEndpoint{{ID: g.ids.v7(d.CreatedAt), URL: base + "/purge", HTTPMethod: "DELETE"}}})
	n := 1 + g.pick(3)
	if s.lean {
		n = g.pick(2)
	}
	for i := 0; i < n; i++ {
		fi := g.pick(len(fileNames))
		aid := g.ids.v7(d.CreatedAt)
		url := fmt.Sprintf("%s/attachment/%s/download", base, aid)
		att := Attachment{ID: aid, DisplayName: fileNames[fi], Name: fileNames[fi].Get("nb"),
			Size: int64(10_000 + g.pick(3_000_000)), ContentSeed: g.rnd.Uint64(),
			URLs: []AttachmentURL{{ID: g.ids.v7(d.CreatedAt), URL: url, MediaType: fileTypes[fi], ConsumerType: ConsumerGui}}}
		if !s.lean && g.pick(6) == 0 {
			exp := norm(g.now.Add(-time.Duration(1+g.pick(72)) * time.Hour)) // shown as urn:dialogporten:expired
			att.ExpiresAt = &exp
		}
		d.Attachments = append(d.Attachments, att)
		d.ApiActions = append(d.ApiActions, ApiAction{ID: g.ids.v7(d.CreatedAt), CreatedAt: d.CreatedAt, Action: "read", Name: "downloadCorrespondenceAttachment",
			Endpoints: []ApiActionEndpoint{{ID: g.ids.v7(d.CreatedAt), URL: url, HTTPMethod: "GET"}}})
	}
	if s.confirm {
		d.ApiActions = append(d.ApiActions, ApiAction{ID: g.ids.v7(d.CreatedAt), CreatedAt: d.CreatedAt, Action: "write", Name: "confirmCorrespondence",
			Endpoints: []ApiActionEndpoint{{ID: g.ids.v7(d.CreatedAt), URL: base + "/confirm", HTTPMethod: "POST"}}})
		if !s.confirmed {
			d.GuiActions = append(d.GuiActions, GuiAction{ID: g.ids.v7(d.CreatedAt), CreatedAt: d.CreatedAt, Action: "write", URL: base + "/confirm",
				Priority: PriorityPrimary, HTTPMethod: "POST", Title: tr("Bekreft", "Stadfest", "Confirm")})
		}
	}
	d.GuiActions = append(d.GuiActions, GuiAction{ID: g.ids.v7(d.CreatedAt), CreatedAt: d.CreatedAt, Action: "write", URL: base + "/purge",
		Priority: PriorityTertiary, HTTPMethod: "DELETE", IsDeleteDialogAction: true, Title: tr("Slett", "Slett", "Delete"),
		Prompt: tr("Vil du slette meldingen?", "Vil du slette meldinga?", "Do you want to delete the message?")})
	if s.state != stateUnopened && s.state != stateNew && g.pick(3) > 0 {
		me := Actor{Type: ActorPartyRepresentative, ID: s.party.URN, Name: s.party.Name}
		g.activity(d, ActivityCorrespondenceOpened, g.after(d.CreatedAt, 48), me, nil, nil)
		if s.confirmed {
			g.activity(d, ActivityCorrespondenceConfirmed, g.after(d.UpdatedAt, 24), me, nil, nil)
			d.Status = StatusCompleted
		}
	}
}

func (g *gen) appInstance(d *Dialog, s dialogSpec) {
	act := func(name string) string {
		return fmt.Sprintf("%s/serviceowner/%s/dialogs/%s/actions/%s", g.base, d.Org, d.ID, name)
	}
	d.ServiceOwnerLabels = []string{fmt.Sprintf("urn:altinn:instance-id:%d/%s", s.party.PartyID, g.ids.v4())}
	d.Content.MainContentReference = embed(fmt.Sprintf("%s/serviceowner/%s/dialogs/%s/content", g.base, d.Org, d.ID), s.owner.legacyHTML, s.lean)
	d.Process = fmt.Sprintf("urn:no:%s:process:%d", d.Org, 1000+g.pick(9000))
	progress := g.pick(101)
	d.Progress = &progress
	d.Status = StatusInProgress
	if !s.lean || g.pick(2) == 0 {
		due := norm(g.now.Add(time.Duration(g.pick(24*70)-24*10) * time.Hour))
		if due.After(d.CreatedAt) {
			d.DueAt = &due
		}
	}
	d.GuiActions = append(d.GuiActions,
		GuiAction{ID: g.ids.v7(d.CreatedAt), CreatedAt: d.CreatedAt, Action: "write", URL: act("open"), Priority: PriorityPrimary, HTTPMethod: "GET",
			Title: tr("Gå til skjema", "Gå til skjema", "Go to form")},
		GuiAction{ID: g.ids.v7(d.CreatedAt), CreatedAt: d.CreatedAt, Action: "write", URL: act("submit"), Priority: PrioritySecondary, HTTPMethod: "POST",
			Title: tr("Send inn", "Send inn", "Submit"), Prompt: tr("Er du sikker på at du vil sende inn?", "Er du sikker på at du vil sende inn?", "Are you sure you want to submit?")},
		GuiAction{ID: g.ids.v7(d.CreatedAt), CreatedAt: d.CreatedAt, Action: "sign", AuthorizationAttribute: attrSigning, URL: act("sign"), Priority: PriorityTertiary, HTTPMethod: "POST",
			Title: tr("Signer", "Signer", "Sign")},
		GuiAction{ID: g.ids.v7(d.CreatedAt), CreatedAt: d.CreatedAt, Action: "delete", URL: act("delete"), Priority: PriorityTertiary, HTTPMethod: "DELETE", IsDeleteDialogAction: true,
			Title: deleteTitle, Prompt: deletePrompt},
	)
	if s.lean {
		// Keep the primary and the delete action, in an array of their own.
		d.GuiActions = []GuiAction{d.GuiActions[0], d.GuiActions[3]}
	}
	d.ApiActions = append(d.ApiActions, ApiAction{ID: g.ids.v7(d.CreatedAt), CreatedAt: d.CreatedAt, Action: "read", Name: "getInstanceData",
		Endpoints: []ApiActionEndpoint{{ID: g.ids.v7(d.CreatedAt), URL: act("data"), HTTPMethod: "GET", Version: "v1",
			DocumentationURL: "https://docs.altinn.studio/api/"}}})
	if s.hugeFile {
		d.Attachments = append(d.Attachments, g.soAttachment(d, d.CreatedAt, true))
	} else if !s.lean && g.pick(2) == 0 {
		d.Attachments = append(d.Attachments, g.soAttachment(d, d.CreatedAt, false))
	}
	me := Actor{Type: ActorPartyRepresentative, ID: s.party.URN, Name: s.party.Name}
	g.activity(d, ActivityFormSaved, g.after(d.CreatedAt, 24), me, nil, nil)
	if s.state == stateDraft {
		d.Status = StatusDraft
		return
	}
	req := g.transmission(d, s, TransmissionRequest, nil, "", tr("Skjema klart til utfylling", "Skjema klart til utfylling", "Form ready to fill in"))
	if !s.lean && g.pick(2) == 0 {
		g.activity(d, ActivityTransmissionOpened, g.after(d.UpdatedAt, 12), me, &req, nil)
	}
	if s.state == stateSent || s.state == stateCompleted || s.state == stateArchived {
		sub := g.transmission(d, s, TransmissionSubmission, &req, "", tr("Innsendt skjema", "Innsendt skjema", "Submitted form"))
		g.activity(d, ActivityFormSubmitted, d.UpdatedAt, me, nil, nil)
		d.EndUserContext.SystemLabels = append(d.EndUserContext.SystemLabels, LabelSent)
		d.Status = StatusAwaiting
		if s.state != stateSent {
			dec := g.transmission(d, s, TransmissionDecision, &sub, "", tr("Vedtak", "Vedtak", "Decision"))
			d.Status = StatusCompleted
			if !s.lean && g.pick(2) == 0 {
				g.activity(d, ActivityTransmissionOpened, g.after(d.UpdatedAt, 12), me, &dec, nil)
			}
		}
	}
	if !s.lean && g.pick(5) == 0 {
		g.activity(d, []ActivityType{ActivitySentToSigning, ActivityPaymentMade, ActivitySignatureProvided, ActivityInformation}[g.pick(4)],
			g.after(d.UpdatedAt, 24), serviceOwnerActor, nil, tr("Saken er oppdatert.", "Saka er oppdatert.", "The case has been updated."))
	}
}

func (g *gen) information(d *Dialog, s dialogSpec) {
	// Additional info is plain text or markdown in the spec, whatever the owner's embeds are:
	// the owners that still send HTML do so only in their front-channel embeds.
	if s.owner.legacyHTML {
		d.Content.AdditionalInfo = &ContentValue{MediaType: MediaTextPlain, Value: tr(
			"Har du spørsmål? Kontakt oss på https://www.husbanken.no.",
			"Har du spørsmål? Kontakt oss på https://www.husbanken.no.",
			"Questions? Contact us at https://www.husbanken.no.")}
	} else {
		d.Content.AdditionalInfo = &ContentValue{MediaType: MediaTextMarkdown, Value: tr(
			"Har du spørsmål? Se **ofte stilte spørsmål** eller [kontakt oss](https://www.altinn.no).",
			"Har du spørsmål? Sjå **ofte stilte spørsmål** eller [kontakt oss](https://www.altinn.no).",
			"Questions? See the **FAQ** or [contact us](https://www.altinn.no).")}
	}
	d.Content.MainContentReference = embed(fmt.Sprintf("%s/serviceowner/%s/dialogs/%s/content", g.base, d.Org, d.ID), s.owner.legacyHTML, s.lean)
	g.transmission(d, s, TransmissionInformation, nil, "", tr("Informasjon", "Informasjon", "Information"))
	d.Status = StatusCompleted
}

// applyState sets labels, visibility, expiry, deletion and seen logs. Default is added by
// Store.LoadDialogs when no other group label is set.
func (g *gen) applyState(d *Dialog, s dialogSpec) {
	ctx := &d.EndUserContext
	switch s.state {
	case stateArchived:
		ctx.set(LabelArchive, Actor{Type: ActorPartyRepresentative, ID: s.party.URN, Name: s.party.Name}, d.UpdatedAt)
	case stateBinned:
		ctx.set(LabelBin, Actor{Type: ActorPartyRepresentative, ID: s.party.URN, Name: s.party.Name}, d.UpdatedAt)
	case stateExpired:
		exp := norm(g.now.Add(-time.Duration(1+g.pick(240)) * time.Hour))
		if !exp.After(d.UpdatedAt) {
			exp = d.UpdatedAt.Add(time.Minute)
		}
		if exp.After(g.now) {
			exp = g.now
		}
		d.ExpiresAt = &exp
		d.DueAt = nil
	case stateFuture:
		vf := norm(g.now.Add(time.Duration(24+g.pick(24*14)) * time.Hour))
		d.VisibleFrom = &vf
	case stateDeleted:
		del := g.after(d.UpdatedAt, 24)
		d.DeletedAt = &del
	case stateUnopened:
		ctx.SystemLabels = append(ctx.SystemLabels, LabelMarkedAsUnopened)
	}
	for _, u := range s.seenBy {
		at := g.after(d.UpdatedAt, 48)
		d.SeenLog = append(d.SeenLog, SeenLogEntry{ID: g.ids.v7(at), SeenAt: at, SeenBy: Actor{Type: ActorPartyRepresentative, ID: u.URN(), Name: u.Name}})
	}
	d.Revision = g.ids.v4()
	ctx.Revision = g.ids.v4()
}
