"""Hugging Face Trainer: a tiny ERNIE multiple-choice model (``ErnieConfig``: vocabulary 60,
32 wide, 2 layers, 4 heads, built from the config, no download; ``ErnieForMultipleChoice``)
picks, out of four stricks of scutched flax laid on the flaxdresser's bench, the one that will
hackle into the best line fibre, so the dresser spends his hackling time on it first. Each
strick is a short card of six readings, each binned into 8 steps and written as one token
of its own field (tokens 4 + 8 × field + bin; 1 start, 2 end, 0 pad): fibre length, fineness
(dtex), colour (grey to silver), share of shives, retting days (centred on the best 24) and
the share of tow at a trial pass. The answer follows the foreman's rule: quality = long and
fine and silver, few shives, well retted, little tow (the same score as the dresser's grading
sheet, with a little judging noise); the four stricks come from one delivery, so they differ
by less than stricks at large.
AdamW 2e-3 with cosine decay and 27 warmup steps (6 %), weight decay 0.01, batch 16 questions (64
cards), 6 epochs of 1200 questions, eval each epoch on 300 questions (accuracy and top-2
share), loss every 15 steps, checkpoint each epoch (``strickpick/checkpoint-N/`` with
``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import ErnieConfig, ErnieForMultipleChoice, Trainer, TrainingArguments

C = 4
FIELDS = 6
BINS = 8


def deliveries(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    lot = r(n, 1, FIELDS)
    v = (0.65 * lot + 0.35 * r(n, C, FIELDS)).clamp(0, 0.999)
    length, fine, colour, shives, retting, tow = v.unbind(2)
    score = (1.2 * length + 1.0 * (1 - fine) + 0.8 * colour - 1.0 * shives
             - 1.4 * (retting - 0.5).abs() - 0.7 * tow + 0.08 * torch.randn(n, C, generator=g))
    bins = (v * BINS).long()
    tok = 4 + BINS * torch.arange(FIELDS) + bins
    ids = torch.cat([torch.ones(n, C, 1, dtype=torch.long), tok,
                     torch.full((n, C, 1), 2, dtype=torch.long)], 2)
    return ids, score.argmax(1)


class Bench(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = ErnieConfig(vocab_size=4 + FIELDS * BINS + 8, hidden_size=32, num_hidden_layers=2,
                         num_attention_heads=4, intermediate_size=64, max_position_embeddings=16,
                         hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                         pad_token_id=0, type_vocab_size=1, task_type_vocab_size=1)
    return ErnieForMultipleChoice(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    y = pred.label_ids
    top2 = (-logits).argsort(1)[:, :2]
    return {"acc": float((logits.argmax(1) == y).mean()),
            "top2": float((top2 == y[:, None]).any(1).mean())}


def main():
    from _threehundredninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ytr = deliveries(1200, g)
    iva, yva = deliveries(300, g)
    print("answer shares", torch.bincount(ytr, minlength=C).tolist())
    args = TrainingArguments(str(out / "strickpick"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=27, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=300,
                             logging_steps=15, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Bench(itr, ytr),
                      eval_dataset=Bench(iva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "strickpick").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ERNIE multiple-choice model picking the best of four flax stricks for the"
                " flaxdresser from binned readings, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
