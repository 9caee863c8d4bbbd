"""The reading guide (Help → Reading guide): a first-time reader's page, in plain words.

Markdown, shown by the app as formatted text. No Qt here.
"""

GUIDE = """\
# Reading guide

This is your own copy of the records of the children in your sample, on this computer only.
Nothing you do here is sent anywhere until you send a bundle to the lead inspector.

## Read

Pick a case in the list on the left (or press Ctrl+1 and use the arrow keys). Its documents
are listed **by agency**, or all together **by date** on the *Timeline* tab — use the timeline
to follow the child's journey from start to finish. Open a document to read it in the viewer;
PgUp and PgDn turn the pages, Ctrl+F finds words in it, and the search box finds words across
this case or all your cases.

## Grade

The template on the right follows the record-reading form, stage by stage. For each item
choose a grade from 6 (excellent) to 1 (unsatisfactory) with the mouse or the keys 1–6; N if it
does not apply, U if the records do not let you judge. Yes-or-no questions take Y, N, A or U.
Write what you saw in the **evidence note**: what happened, and why it led to your grade.
Agreed a different grade with your paired inspector? Record it as the agreed grade — your own
grade is kept as well.

Everything is saved as you go: the bottom of the window says when it was last saved.

## Cite

While a page is on screen, press Ctrl+Shift+C (or *Cite this page*) to put a reference to it —
document, agency, date and page — into the note you are writing. Clicking the reference later
opens that page again, so you and the moderators can check the evidence.

Records are pseudonymous: never write a child's or a family member's name, date of birth,
address or CHI number in a note, and name staff by their job only. The app warns you if a note
looks as if it holds one.

## Raise a management review

If something in a file suggests that a child **may be at risk now**, or that harm was not
properly looked into, do not wait until the end of the case. Press **Ctrl+M** (or the red
*Management review…* button), choose the reason — *immediate risk to a child*, *concern needing
further investigation*, or *other* — and describe what you found and where (document and page).
The case then shows a red banner. Tell the lead inspector the same day as well.

When the lead inspector refers it to the partnership, or a response comes back, or it is
closed, record that step with *Update review…* on the banner.

## Send

The lead inspector only sees your work when you send it. After you raise a review or record a
step, the app offers **Send now**: it writes an encrypted bundle of your work that only the
lead inspector can open, and tells you where the file is. Hand that file over the way your
inspection agreed. Until a review's latest step has been sent, the case list says *Not sent*
and the bottom of the window says *Management review not yet sent*, with a **Send now** button
(also File → Send now, or Ctrl+Shift+E). If your inspection uses a paper concern form, fill it
in too.

Send a bundle at the end of each day as well, so the lead inspector has your latest grades.
Each bundle holds all your work so far; a newer one replaces the older one.

## The lock

If you leave the computer for a while (ten minutes unless you change it under File), the
window locks and hides the records. Type your store passphrase to carry on: nothing is lost,
and anything you were typing is still there. Press Ctrl+L to lock it yourself when you step
away. Never write the passphrase down next to the computer.

## Keys

Press F1 at any time for every key of the app.
"""

TOPICS = ("Read", "Grade", "Cite", "Raise a management review", "Send", "The lock")
