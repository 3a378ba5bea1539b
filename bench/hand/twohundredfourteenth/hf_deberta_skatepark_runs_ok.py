"""Hugging Face Trainer: a tiny DeBERTa (v1, ``DebertaConfig``: vocabulary 32, hidden 32, 2
layers, 2 heads, relative attention, built from the config, no download) labels a skater's
skatepark run, written down by a judge's app as 20 tokens (push, carve, pump, bail, ... and the
tricks: 5 grinds/slides, 5 flip tricks, 5 airs/transition tricks), with the style the run is
scored under: street (mostly grinds and slides), technical (mostly flip tricks) or transition
(mostly airs). The dominant family has at least two tricks more than either other one; the rest
is filler and the positions are random; 6 % wrong labels. Token 1 opens every run ("drop in").
AdamW 2e-3, 10 warm-up steps then linear decay, batch 32, 6 epochs of 768 runs, eval every 24
steps (once per epoch), loss every 6 steps.
Healthy: the train loss sits at ln 3 (1.09-1.10) for the first ~30 steps, then drops; eval
accuracy 0.724, 0.703, 0.922, 1.0, 1.0, 1.0 at steps 24-144, eval loss 1.095 → 0.102; the train
loss stays above it (0.21-0.36 at the end, the 6 % wrong labels)."""
import torch
from transformers import (
    DebertaConfig,
    DebertaForSequenceClassification,
    Trainer,
    TrainingArguments,
)

V, T = 32, 20
FILLER = list(range(3, 12))
FAMILIES = [list(range(12, 17)), list(range(17, 22)), list(range(22, 27))]


def runs(n, g, flip=0.0):
    x = torch.tensor(FILLER)[torch.randint(0, len(FILLER), (n, T), generator=g)]
    y = torch.randint(0, 3, (n,), generator=g)
    for i in range(n):
        counts = torch.randint(0, 3, (3,), generator=g)
        counts[int(y[i])] = int(counts.max()) + 2 + int(torch.randint(0, 2, (1,), generator=g))
        toks = []
        for fam, c in enumerate(counts.tolist()):
            idx = torch.randint(0, 5, (c,), generator=g)
            toks += [FAMILIES[fam][j] for j in idx.tolist()]
        pos = torch.randperm(T - 1, generator=g)[:len(toks)] + 1
        x[i, pos] = torch.tensor(toks)
    x[:, 0] = 1
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class Runs(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = DebertaConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                           num_hidden_layers=2, num_attention_heads=2,
                           max_position_embeddings=64, relative_attention=True,
                           max_relative_positions=T, pos_att_type=["c2p", "p2c"],
                           pad_token_id=0, num_labels=3,
                           id2label={0: "street", 1: "technical", 2: "transition"},
                           label2id={"street": 0, "technical": 1, "transition": 2})
    return DebertaForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = runs(768, g, flip=0.06)
    xva, yva = runs(192, g)
    args = TrainingArguments(str(out / "skatepark"), num_train_epochs=6, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=72, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Runs(xtr, ytr),
                      eval_dataset=Runs(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "skatepark").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DeBERTa (v1) skatepark-run style classifier, HF Trainer, 6 % noisy labels"
                " (healthy)")


if __name__ == "__main__":
    main()
