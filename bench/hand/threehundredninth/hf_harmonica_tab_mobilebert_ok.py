"""Hugging Face Trainer: a tiny MobileBERT token classifier (``MobileBertConfig``: vocabulary
24, 64 wide with a 32-wide bottleneck, 2 layers, 4 heads, one feed-forward per layer,
layer norm instead of MobileBERT's NoNorm, built from the config, no download; ``MobileBertForTokenClassification``, bidirectional) reads a
10-hole diatonic harmonica tab, 20 notes long, and marks the notes a learner will find
hard, so a lesson site can colour them. Each note is one token: hole 1-10 × blow / draw
(tokens 2-21, written 4 / -4 in the tab). A note is hard when the mouth has to leap three
or more holes from the previous note (a jump a beginner misses), or when it is the third
note of a same-hole blow-draw-blow (or draw-blow-draw) wobble. Tabs wander up and down the
harp a hole or two at a time with a 15 % chance of a leap of 3-5 holes and a 20 % chance
of staying on the hole. AdamW 5e-3 with linear decay and 24 warmup steps, weight decay 0.01,
batch 25, 6 epochs of 1000 tabs (240 steps), eval every 40 steps on 300 tabs (token
accuracy, share of hard notes found), loss every 8 steps, checkpoint every 40 steps
(``tabs/checkpoint-N/`` with ``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import (
    MobileBertConfig,
    MobileBertForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 20


def tabs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hole = torch.zeros(n, T, dtype=torch.long)
    cur = torch.randint(1, 11, (n,), generator=g)
    for k in range(T):
        if k:
            u = r(n)
            leap = (3 + torch.randint(0, 3, (n,), generator=g)) * torch.where(r(n) < 0.5, -1, 1)
            step = torch.randint(1, 3, (n,), generator=g) * torch.where(r(n) < 0.5, -1, 1)
            move = torch.where(u < 0.15, leap, torch.where(u < 0.35, torch.zeros_like(step), step))
            nxt = cur + move
            cur = torch.where((nxt < 1) | (nxt > 10), cur - move, nxt).clamp(1, 10)
        hole[:, k] = cur
    draw = (r(n, T) < 0.5).long()
    lab = torch.zeros(n, T, dtype=torch.long)
    lab[:, 1:] = ((hole[:, 1:] - hole[:, :-1]).abs() >= 3).long()
    wob = ((hole[:, 2:] == hole[:, 1:-1]) & (hole[:, 1:-1] == hole[:, :-2])
           & (draw[:, 2:] != draw[:, 1:-1]) & (draw[:, 1:-1] != draw[:, :-2]))
    lab[:, 2:] = lab[:, 2:] | wob.long()
    return 2 + (hole - 1) * 2 + draw, lab


class Tabs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = MobileBertConfig(vocab_size=24, hidden_size=64, embedding_size=32, true_hidden_size=32,
                              intra_bottleneck_size=32, num_hidden_layers=2, num_attention_heads=4,
                              intermediate_size=64, num_feedforward_networks=1,
                              max_position_embeddings=T + 4, num_labels=2, type_vocab_size=1,
                              hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                              classifier_dropout=0.0, pad_token_id=0,
                              normalization_type="layer_norm")
    return MobileBertForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "hard_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = tabs(1000, g)
    iva, lva = tabs(300, g)
    print("hard share", ltr.float().mean().item())
    args = TrainingArguments(str(out / "tabs"), num_train_epochs=6, learning_rate=5e-3,
                             warmup_steps=24, lr_scheduler_type="linear", weight_decay=0.01,
                             per_device_train_batch_size=25, per_device_eval_batch_size=300,
                             logging_steps=8, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=40, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Tabs(itr, ltr),
                      eval_dataset=Tabs(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tabs").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MobileBERT token classifier marking the hard notes (leaps, same-hole"
                " wobbles) in a diatonic harmonica tab, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
