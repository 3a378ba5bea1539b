"""Hugging Face ``Trainer``: a tiny ELECTRA token tagger (``ElectraForTokenClassification``
from an ``ElectraConfig``: 2 layers, hidden 48, 4 heads, vocabulary 12, no download) tags
every count of a hula choreography sheet with the step it belongs to. The sheet writes each
count as a foot/hip cue token (R, L, R-tap, L-tap, hip-R, hip-L, heel, lift, hold); the 5
steps are 4-count motifs of those cues (kaholo R L R tap-L, ka'o hip-R hip-L hip-R hip-L,
hela R-tap hold L-tap hold, 'uwehe heel lift heel lift, 'ami hip-R lift hip-L lift) and
several cues are shared between steps, so a count's step comes from its neighbours. A
sheet is 8 motifs (32 counts) after a CLS token; 5 % of cues are miswritten.
AdamW 3e-3, linear decay, batch 32, 6 epochs of 640 sheets (120 steps), eval on 128 sheets
every 20 steps with ``eval_tag_acc``, loss logged every 10 steps,
``tags/checkpoint-120/`` with ``trainer_state.json``.
Healthy: eval loss 0.514 (step 20), 0.368, 0.355, 0.350, 0.346, 0.345 (step 120); tag
accuracy 0.816, 0.876, 0.879, 0.872, 0.880, 0.874 (a plateau from step 40: miswritten cues
and the shared cues at motif edges); train loss 1.23 at step 10, 0.34 at 120, just below
the eval loss."""
import torch
from transformers import ElectraConfig, ElectraForTokenClassification, Trainer, TrainingArguments

CLS = 1
CUES = ["R", "L", "R-tap", "L-tap", "hip-R", "hip-L", "heel", "lift", "hold"]
C0 = 2
MOTIFS = [["R", "L", "R", "L-tap"], ["hip-R", "hip-L", "hip-R", "hip-L"],
          ["R-tap", "hold", "L-tap", "hold"], ["heel", "lift", "heel", "lift"],
          ["hip-R", "lift", "hip-L", "lift"]]


def sheets(n, g):
    ids = torch.zeros(n, 33, dtype=torch.long)
    tags = torch.full((n, 33), -100, dtype=torch.long)
    ids[:, 0] = CLS
    for i in range(n):
        steps = torch.randint(0, 5, (8,), generator=g)
        for k, s in enumerate(steps.tolist()):
            for j, cue in enumerate(MOTIFS[s]):
                tok = C0 + CUES.index(cue)
                if float(torch.rand(1, generator=g)) < 0.05:
                    tok = C0 + int(torch.randint(0, len(CUES), (1,), generator=g))
                ids[i, 1 + 4 * k + j] = tok
                tags[i, 1 + 4 * k + j] = s
    return ids, tags


class Sheets(torch.utils.data.Dataset):
    def __init__(self, ids, tags):
        self.ids, self.tags = ids, tags

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.tags[i]}


def build():
    torch.manual_seed(0)
    config = ElectraConfig(vocab_size=C0 + len(CUES), embedding_size=48, hidden_size=48,
                           num_hidden_layers=2, num_attention_heads=4, intermediate_size=96,
                           max_position_embeddings=40, num_labels=5, pad_token_id=0)
    return ElectraForTokenClassification(config)


def tag_accuracy(pred):
    guess = pred.predictions.argmax(-1)
    keep = pred.label_ids != -100
    return {"tag_acc": float((guess[keep] == pred.label_ids[keep]).mean())}


def main():
    from _twohundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(19)
    itr, ttr = sheets(640, g)
    iva, tva = sheets(128, g)
    args = TrainingArguments(str(out / "tags"), num_train_epochs=6, learning_rate=3e-3,
                             lr_scheduler_type="linear", per_device_train_batch_size=32,
                             per_device_eval_batch_size=128, logging_steps=10,
                             eval_strategy="steps", eval_steps=20, save_strategy="steps",
                             save_steps=60, save_total_limit=1, report_to=[], use_cpu=True,
                             disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Sheets(itr, ttr),
                      eval_dataset=Sheets(iva, tva), compute_metrics=tag_accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tags").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": tva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ELECTRA token tagger labelling each count of a hula choreography sheet"
                " with its step, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
