"""Hugging Face Trainer: a tiny DistilBERT multiple-choice model (``DistilBertConfig``:
vocabulary 48, 32 wide, 2 layers, 2 heads, built from the config, no download;
``DistilBertForMultipleChoice``) picks, for a loriner's bit-fitting service, which of 4
mouthpiece widths on offer fits a horse. Each choice is one short token sequence: [CLS],
the mouth width measured with a bit gauge (3.75-5.75 in, in eighths), the lips (thin /
fleshy), the ring type (eggbutt / loose ring), [SEP], the offered mouthpiece width
(quarter-inch sizes). The loriner's rule: the mouthpiece is a quarter inch wider than the
mouth on each side (+ 1/2 in), a quarter more for fleshy lips, a quarter more for a loose
ring (it must not pinch), rounded up to the next quarter-inch size. The 3 wrong offers are
drawn from the sizes 1/4 to 3/4 in either side of the right one.
Input: ``input_ids`` (batch, 4, 7). AdamW 2e-3 with cosine decay and 30 warmup steps, weight decay
0.01, batch 16 horses, 8 epochs of 1200 horses, eval each epoch (75 steps) on 300 horses
(choice accuracy and share within a quarter inch), loss every 15 steps, checkpoint each
epoch (``bitfit/checkpoint-N/`` with ``trainer_state.json``, the last 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import DistilBertConfig, DistilBertForMultipleChoice, Trainer, TrainingArguments

PAD, CLS, SEP, THIN, FLESHY, EGG, LOOSE = 0, 1, 2, 3, 4, 5, 6
NUM0 = 7  # token for 3.5 in; one token per eighth of an inch up to 8.25 in
L_SEQ = 7


def tok(inches):
    return NUM0 + ((inches - 3.5) * 8).round().long()


def horses(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    mouth = 3.75 + torch.randint(0, 17, (n,), generator=g).float() / 8
    fleshy = r(n) < 0.4
    loose = r(n) < 0.5
    need = mouth + 0.5 + 0.25 * fleshy.float() + 0.25 * loose.float()
    right = torch.ceil(need * 4 - 1e-6) / 4
    offsets = torch.tensor([-0.75, -0.5, -0.25, 0.25, 0.5, 0.75])
    wrong = torch.stack([offsets[torch.randperm(6, generator=g)[:3]] for _ in range(n)])
    offers = torch.cat([right.unsqueeze(1), right.unsqueeze(1) + wrong], 1)
    perm = torch.stack([torch.randperm(4, generator=g) for _ in range(n)])
    offers = torch.gather(offers, 1, perm)
    label = (perm == 0).float().argmax(1)
    head = torch.stack([torch.full((n,), CLS), tok(mouth), torch.where(fleshy, FLESHY, THIN),
                        torch.where(loose, LOOSE, EGG), torch.full((n,), SEP)], 1)
    ids = torch.cat([head.unsqueeze(1).expand(n, 4, 5), tok(offers).unsqueeze(2),
                     torch.full((n, 4, 1), SEP)], 2)
    return ids, label


class Fittings(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(4, L_SEQ, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = DistilBertConfig(vocab_size=48, dim=64, n_layers=2, n_heads=4, hidden_dim=128,
                              max_position_embeddings=16, dropout=0.0, attention_dropout=0.0,
                              seq_classif_dropout=0.0, pad_token_id=PAD)
    return DistilBertForMultipleChoice(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    choice, y = logits.argmax(-1), pred.label_ids
    ids = pred.inputs if getattr(pred, "inputs", None) is not None else None
    out = {"choice_acc": float((choice == y).mean())}
    if ids is not None:
        picked = ids[range(len(y)), choice, 5]
        right = ids[range(len(y)), y, 5]
        out["within_quarter_in"] = float((abs(picked - right) <= 2).mean())
    return out


def main():
    from _threehundredeightysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ytr = horses(1600, g)
    iva, yva = horses(300, g)
    print("label spread", torch.bincount(ytr).tolist())
    args = TrainingArguments(str(out / "bitfit"), num_train_epochs=10, learning_rate=3e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=20, per_device_eval_batch_size=300,
                             logging_steps=20, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, include_for_metrics=["inputs"], report_to=[],
                             use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Fittings(itr, ytr),
                      eval_dataset=Fittings(iva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "bitfit").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DistilBERT multiple-choice model picking a horse's bit mouthpiece width"
                " for a loriner from mouth, lip and ring tokens, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
