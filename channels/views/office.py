"""The officers' message inbox, the messages set aside, and the office's channel settings."""

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.choices import Role
from complaints import services as complaint_services
from complaints.models import ComplaintError
from core.views import Step, perform
from history.choices import AuditAction
from history.log import changes, label, record
from offices.permissions import office_required

from .. import health, intake, outbound
from ..choices import (
    PROBLEM_STATES,
    ConversationStatus,
    Direction,
    InboundKind,
    InboundState,
    Medium,
)
from ..forms import ChannelSettingsForm, ConvertForm, InboxFilterForm, ReplyForm
from ..mail import reply_subject
from ..models import ChannelSettings, Conversation, InboundMessage, Message, MessageAttachment
from ..polling import poll_mailbox

PER_PAGE = 25
MAIL_FIELDS = [
    "mail_address",
    "imap_host",
    "imap_port",
    "imap_security",
    "imap_user",
    "imap_folder",
    "imap_done_folder",
    "smtp_host",
    "smtp_port",
    "smtp_security",
    "smtp_user",
]


def _audit(user, obj, what):
    """An officer's change of a conversation or an inbound message: one audit line."""
    record(label(obj), AuditAction.STATE, actor=user, office=obj.office_id, detail=what)


def _problems():
    return Message.objects.filter(
        conversation=OuterRef("pk"), direction=Direction.OUT, state__in=PROBLEM_STATES
    )


@office_required(Role.OFFICER)
def conversation_list(request, office):
    """Messages that are not complaints: questions about data, thanks, anything else."""
    form = InboxFilterForm(request.GET or None)
    conversations = (
        Conversation.objects.inbox()
        .filter(office=office)
        .select_related("contact")
        .annotate(
            received=Count("messages", filter=Q(messages__direction=Direction.IN)),
            undelivered=Exists(_problems()),
        )
        .order_by("-last_message_at", "-id")
    )
    status = form.status_filter()
    if status:
        conversations = conversations.filter(status=status)
    if form.is_valid():
        if form.cleaned_data["medium"]:
            conversations = conversations.filter(medium=form.cleaned_data["medium"])
        if form.cleaned_data["problems"]:
            conversations = conversations.filter(undelivered=True)
    page = Paginator(conversations, PER_PAGE).get_page(request.GET.get("page"))
    channel_settings = ChannelSettings.for_office(office)
    set_aside = InboundMessage.objects.filter(office=office).exclude(state=InboundState.PROCESSED)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "channels/office/conversation_list.html",
        {
            "office": office,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "channel_settings": channel_settings,
            "set_aside_count": set_aside.count(),
            "undelivered_notices": Message.objects.problems()
            .filter(office=office, conversation=None)
            .count(),
        },
    )


def _get_conversation(office, pk):
    return get_object_or_404(
        Conversation.objects.inbox().select_related("contact", "office", "closed_by"),
        office=office,
        pk=pk,
    )


@office_required(Role.OFFICER)
def conversation_detail(request, office, pk):
    conversation = _get_conversation(office, pk)
    thread = conversation.messages.select_related("author").prefetch_related("attachments")
    return render(
        request,
        "channels/office/conversation_detail.html",
        {
            "office": office,
            "conversation": conversation,
            "thread": thread,
            "reply_form": ReplyForm(),
            "convert_form": ConvertForm(),
            "window_open": conversation.contact.window_open(),
        },
    )


def _reply(conversation, user, data):
    body = data["body"]
    contact = conversation.contact
    office = conversation.office
    subject = reply_subject(
        conversation.subject
        if conversation.subject.lower().startswith("re:")
        else f"Re: {conversation.subject}"
        if conversation.subject
        else _("Answer from %(office)s") % {"office": office.name},
        "",
    )
    outbound.queue_message(
        contact=contact,
        conversation=conversation,
        subject=subject,
        body=body,
        author=user,
        template="message_reply",
        template_params=[office.name, body],
    )
    _audit(user, conversation, "reply")
    return conversation


def _convert(conversation, user, data):
    """The conversation becomes a complaint: its messages are the description."""
    received = list(conversation.messages.filter(direction=Direction.IN).order_by("created_at"))
    description = "\n\n".join(m.body for m in received if m.body.strip()) or "—"
    files = []
    for attachment in [a for m in received for a in m.attachments.all()][:5]:
        with attachment.file.open("rb") as handle:
            files.append(
                (ContentFile(handle.read(), name=attachment.original_name), attachment.content_type)
            )
    contact = conversation.contact
    fields = {}
    if contact.medium == Medium.EMAIL:
        fields["contact_email"] = contact.address
    elif contact.medium == Medium.WHATSAPP:
        fields["contact_whatsapp"] = "+" + contact.address
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if conversation.complaint_id:
            raise ComplaintError(_("This conversation is already a complaint."))
        token = outbound.current_conversation.set(conversation)
        try:
            complaint = complaint_services.submit_complaint(
                office=conversation.office,
                channel=conversation.register_channel,
                description=description,
                by=user,
                received_at=received[0].created_at if received else timezone.now(),
                service=data["service"],
                severity=data["severity"],
                contact_name=contact.name,
                language=contact.language,
                attachments=files,
                **fields,
            )
        finally:
            outbound.current_conversation.reset(token)
        conversation.complaint = complaint
        conversation.status = ConversationStatus.OPEN
        conversation.save(update_fields=["complaint", "status"])
        _audit(user, conversation, f"→ complaint {complaint.tracking_code}")
    return complaint


def _set_status(conversation, user, status):
    """Close or reopen an inbox conversation."""
    conversation.status = status
    conversation.closed_at = timezone.now() if status == ConversationStatus.CLOSED else None
    conversation.closed_by = user if status == ConversationStatus.CLOSED else None
    conversation.save(update_fields=["status", "closed_at", "closed_by"])
    _audit(user, conversation, status)
    return conversation


CONVERSATION_STEPS = {
    "reply": Step(
        lambda c, u, d: _reply(c, u, d),
        lambda c, r: (
            _("The answer is on its way on %(channel)s.") % {"channel": c.get_medium_display()}
        ),
        form=ReplyForm,
    ),
    "convert": Step(
        lambda c, u, d: _convert(c, u, d),
        lambda c, complaint: (
            _("Registered as complaint %(code)s.") % {"code": complaint.tracking_code}
        ),
        form=ConvertForm,
    ),
    "close": Step(
        lambda c, u, d: _set_status(c, u, ConversationStatus.CLOSED),
        gettext_lazy("The conversation is closed."),
    ),
    "reopen": Step(
        lambda c, u, d: _set_status(c, u, ConversationStatus.OPEN),
        gettext_lazy("The conversation is open again."),
    ),
}


@office_required(Role.OFFICER)
@require_POST
def conversation_action(request, office, pk, action):
    conversation = _get_conversation(office, pk)
    outcome = perform(request, CONVERSATION_STEPS, action, conversation)
    if action == "convert" and outcome.done:
        return redirect(outcome.result)
    return redirect("channels:conversation-detail", office.code, conversation.pk)


@office_required(Role.OFFICER)
@require_POST
def message_retry(request, office, pk):
    """Send an undelivered answer again (a fresh series of attempts)."""
    message = get_object_or_404(
        Message.objects.select_related("conversation__complaint"),
        office=office,
        pk=pk,
        direction=Direction.OUT,
        state__in=PROBLEM_STATES,
    )
    outbound.retry(message, by=request.user)
    messages.success(request, _("The message is being sent again."))
    if message.conversation is not None:
        return redirect(message.conversation.get_absolute_url())
    return redirect("channels:conversation-list", office.code)


@office_required(Role.OFFICER)
def attachment_download(request, office, pk, attachment_pk):
    attachment = get_object_or_404(
        MessageAttachment.objects.select_related("message"),
        pk=attachment_pk,
        message__conversation_id=pk,
        message__office=office,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@office_required(Role.OFFICER)
def inbound_list(request, office):
    """Messages not taken in: automatic mail, refused, failed, or still waiting."""
    inbound = (
        InboundMessage.objects.filter(office=office)
        .exclude(state=InboundState.PROCESSED)
        .order_by("-received_at", "-id")
    )
    page = Paginator(inbound, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "channels/office/inbound_list.html",
        {"office": office, "page": page, "InboundState": InboundState},
    )


@office_required(Role.OFFICER)
@require_POST
def inbound_action(request, office, pk, action):
    inbound = get_object_or_404(InboundMessage, office=office, pk=pk)
    if action == "process" and inbound.state == InboundState.FAILED:
        state = intake.process(inbound.pk)
    elif (
        action == "as-person"
        and inbound.state == InboundState.IGNORED
        and inbound.medium == Medium.EMAIL
        and inbound.kind in (InboundKind.AUTO_REPLY, InboundKind.LIST, InboundKind.EMPTY)
    ):
        state = intake.process(inbound.pk, as_person=True)
        _audit(request.user, inbound, "taken in as a person's")
    else:
        raise Http404
    if state == InboundState.PROCESSED:
        messages.success(request, _("The message has been taken in."))
    else:
        messages.error(request, _("The message could not be taken in; see its error."))
    return redirect("channels:inbound-list", office.code)


@office_required(Role.SUPERVISOR)
def settings_edit(request, office):
    channel_settings = ChannelSettings.for_office(office)
    form = ChannelSettingsForm(request.POST or None, instance=channel_settings)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(
            label(channel_settings, office.code),
            AuditAction.SETTINGS,
            actor=request.user,
            office=office,
            detail=changes(form),
        )
        messages.success(request, _("Saved."))
        return redirect("channels:settings", office.code)
    return render(
        request,
        "channels/office/settings_edit.html",
        {
            "office": office,
            "form": form,
            "channel_settings": channel_settings,
            "whatsapp_problems": health.whatsapp_problems(office),
            "password_set": bool(channel_settings.imap_password()),
            "webhook_path": "/webhooks/meta",
            "mail_fields": [form[name] for name in MAIL_FIELDS],
        },
    )


@office_required(Role.SUPERVISOR)
@require_POST
def mailbox_check(request, office):
    """Read the mailbox now (in the background)."""
    channel_settings = ChannelSettings.for_office(office)
    if not channel_settings.mailbox_configured:
        messages.error(request, _("Set up the mailbox first."))
    else:
        poll_mailbox.enqueue(office_id=office.pk)
        messages.success(request, _("The mailbox is being checked; reload this page in a moment."))
    return redirect("channels:settings", office.code)
