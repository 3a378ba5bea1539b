"""Hugging Face Trainer: a tiny BioGPT-architecture decoder (``BioGptConfig``: vocabulary 40,
hidden 32, 2 layers, 4 heads, intermediate 64, built from the config, no download) used as a
token tagger (``BioGptForTokenClassification``) marks, sort by sort, what a compositor's line of
foundry type needs from the typefounder's case: 0 = an ordinary sort, 1 = the second letter of a
ligature the fount is cast with (f+i, f+l, f+f, and f+f+i / f+f+l taking the third letter too,
so the tag is set on every letter after an f that continues the ligature), 2 = a kerned pair
(a lowercase a / e / o / r / y straight after an overhanging capital T, V, W, Y or P).
Lines are 40 sorts drawn from letter frequencies with f, i, l and the overhanging capitals made
more common, spaces as id 3; ids = 4 + letter index (a-z, then T V W Y P A H). Each tag depends
only on the sorts before it, which suits a causal decoder.
AdamW 3e-3, cosine decay with 20 warmup steps, batch 32, 8 epochs of 1600 lines, eval every 50
steps on 320 lines (sort accuracy, F1 of the ligature and kern tags), loss every 10 steps,
checkpoint every 50 steps (``case/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import BioGptConfig, BioGptForTokenClassification, Trainer, TrainingArguments

SORTS = 40
LOWER = "abcdefghijklmnopqrstuvwxyz"
CAPS = "TVWYPAH"
FREQ = torch.tensor([8.2, 1.5, 2.8, 4.3, 12.7, 14.0, 2.0, 6.1, 12.0, 0.2, 0.8, 10.0, 2.4, 6.7, 7.5,
                     1.9, 0.1, 6.0, 6.3, 9.1, 2.8, 1.0, 2.4, 0.2, 2.0, 0.1] + [7.0] * 5 + [1.0] * 2)


def lines(n, g):
    ids = torch.multinomial(FREQ.expand(n, -1), SORTS, replacement=True, generator=g)
    space = torch.rand(n, SORTS, generator=g) < 0.15
    tags = torch.zeros(n, SORTS, dtype=torch.long)
    f, i, l_ = LOWER.index("f"), LOWER.index("i"), LOWER.index("l")
    over = [26 + CAPS.index(c) for c in "TVWYP"]
    kernable = [LOWER.index(c) for c in "aeory"]
    ids[space] = -1
    for r in range(n):
        run_f = False
        for k in range(1, SORTS):
            prev, cur = ids[r, k - 1].item(), ids[r, k].item()
            if (prev == f or run_f) and cur in (f, i, l_):
                tags[r, k] = 1
                run_f = cur == f
            else:
                run_f = False
                if prev in over and cur in kernable:
                    tags[r, k] = 2
    return ids + 4, tags


class Composed(torch.utils.data.Dataset):
    def __init__(self, ids, tags):
        self.ids, self.tags = ids, tags

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(SORTS, dtype=torch.long),
                "labels": self.tags[i]}


def build():
    torch.manual_seed(0)
    config = BioGptConfig(vocab_size=40, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                          intermediate_size=64, max_position_embeddings=SORTS + 4,
                          hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, scale_embedding=False,
                          pad_token_id=1, bos_token_id=0, eos_token_id=2, num_labels=3)
    return BioGptForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1).reshape(-1), pred.label_ids.reshape(-1)
    out = {"sort_acc": float((p == y).mean())}
    for k, name in ((1, "ligature_f1"), (2, "kern_f1")):
        tp = ((p == k) & (y == k)).sum()
        out[name] = float(2 * tp / max(1, (p == k).sum() + (y == k).sum()))
    return out


def main():
    from _twohundredseventysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ttr = lines(1600, g)
    iva, tva = lines(320, g)
    print("tag shares", torch.bincount(ttr.reshape(-1), minlength=3) / ttr.numel())
    args = TrainingArguments(str(out / "case"), num_train_epochs=8, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=320,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Composed(itr, ttr),
                      eval_dataset=Composed(iva, tva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "case").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": tva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny BioGPT-architecture tagger marking ligature and kerned sorts in lines of"
                " foundry type, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
