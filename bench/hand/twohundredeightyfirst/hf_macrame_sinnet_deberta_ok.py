"""Hugging Face Trainer: a tiny DeBERTa-v2 token classifier (``DebertaV2Config``: vocabulary
10, hidden 48, 2 layers, 4 heads, FFN 96, relative position attention only (16 buckets, no
absolute positions), built from the config, no download; ``DebertaV2ForTokenClassification``)
reads a macrame pattern written as a
row of knot codes, the way a studio writes its plant hanger and wall hanging patterns, and
marks every knot with what it will do on the finished piece: 0 = lies flat, 1 = twists (a
half knot with half knots on both sides of it: inside a half-knot sinnet the cords spiral,
only the two end knots of the sinnet sit flat), 2 = loose bead (a bead
that is not locked by a square knot right before and right after it slides down the cords).
Codes: 1 square knot, 2 half knot, 3 lark's head, 4 gathering wrap, 5 overhand, 6 bead, 7
double half-hitch, 8 cord gap; 48 codes per pattern written as runs (a sinnet of 1-9 half
knots, 1-6 square knots, single other knots and beads).
AdamW 4e-3, constant schedule with 20 warmup steps, batch 32, 6 epochs of 1600 patterns, eval
every 50 steps on 400 patterns (token accuracy, recall of the twisting knots and of the loose
beads), loss every 20 steps, checkpoint every 50 steps (``patterns/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    DebertaV2Config,
    DebertaV2ForTokenClassification,
    Trainer,
    TrainingArguments,
)

N = 48


def pattern_rows(n, g):
    ids = torch.zeros(n, N, dtype=torch.long)
    labels = torch.zeros(n, N, dtype=torch.long)
    for i in range(n):
        row = []
        while len(row) < N:
            r = torch.rand(1, generator=g).item()
            if r < 0.3:
                row += [2] * torch.randint(1, 10, (1,), generator=g).item()
            elif r < 0.6:
                row += [1] * torch.randint(1, 7, (1,), generator=g).item()
            elif r < 0.75:
                row += [6]
            else:
                row += [torch.randint(3, 9, (1,), generator=g).item()]
        row = row[:N]
        lab = [0] * N
        for t in range(1, N - 1):
            if row[t] == 2 and row[t - 1] == 2 and row[t + 1] == 2:
                lab[t] = 1
        for t in range(N):
            if row[t] == 6 and not (0 < t < N - 1 and row[t - 1] == 1 and row[t + 1] == 1):
                lab[t] = 2
        ids[i], labels[i] = torch.tensor(row), torch.tensor(lab)
    return ids, labels


class Patterns(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(N, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = DebertaV2Config(vocab_size=10, hidden_size=48, num_hidden_layers=2,
                             num_attention_heads=4, intermediate_size=96,
                             max_position_embeddings=64, relative_attention=True,
                             position_buckets=16, max_relative_positions=16,
                             pos_att_type=["p2c", "c2p"], position_biased_input=False,
                             hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                             num_labels=3, pad_token_id=0, type_vocab_size=0)
    return DebertaV2ForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "recall_twists": float((p[y == 1] == 1).mean()),
            "recall_loose_bead": float((p[y == 2] == 2).mean())}


def main():
    from _twohundredeightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = pattern_rows(1600, g)
    iva, lva = pattern_rows(400, g)
    print("label shares", torch.bincount(ltr.flatten(), minlength=3) / ltr.numel())
    args = TrainingArguments(str(out / "patterns"), num_train_epochs=6, learning_rate=4e-3,
                             warmup_steps=20, lr_scheduler_type="constant_with_warmup",
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=20, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Patterns(itr, ltr),
                      eval_dataset=Patterns(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "patterns").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DeBERTa-v2 token classifier marking twisting knots and loose beads in"
                " macrame patterns, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
