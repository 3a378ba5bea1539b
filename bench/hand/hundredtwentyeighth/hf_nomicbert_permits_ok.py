"""Hugging Face Trainer: a tiny NomicBERT classifier (``NomicBertConfig``: vocabulary 96, hidden
32, 2 layers, 2 heads, rotary positions, built from the config, no pre-training, no download)
sorts the free-text work descriptions of building-permit applications into 4 permit types
(addition / alteration, demolition, electrical, plumbing). Synthetic descriptions of 16–32
tokens: mostly filler words shared by all types (addresses, "proposed", "existing", storey and
room words), with 2–4 words typical of the type drawn from overlapping pools (a demolition
mentions "wall" as an addition does, an electrical job a "kitchen" as a plumbing one does), pad
id 0 and an attention mask. 4 % of the training labels are wrong (clerks filed the form under
the wrong type). AdamW 2e-3, weight decay 0.01, 12 warm-up steps then linear decay, batch 32,
6 epochs of 768 descriptions, eval every 24 steps, train loss every 6 steps.
Healthy, after a plateau: the loss sits at ln 4 ≈ 1.39 for ~40 steps (eval accuracy 0.23 at step
24), then drops: eval accuracy 0.46, 0.77, 1.00, 1.00, 1.00 at step 144, eval loss 0.22 below the
train loss 0.29–0.33 (the wrong labels only sit in training)."""
import torch
from transformers import (
    NomicBertConfig,
    NomicBertForSequenceClassification,
    Trainer,
    TrainingArguments,
)

TYPES = ["addition", "demolition", "electrical", "plumbing"]
V, L = 96, 32
FILLER = list(range(4, 48))
POOLS = [list(range(48, 60)) + [84, 85], list(range(60, 70)) + [84, 86],
         list(range(70, 80)) + [87, 88], list(range(80, 84)) + list(range(89, 96)) + [87]]


def permits(n, g, flip=0.0):
    y = torch.randint(0, 4, (n,), generator=g)
    ids = torch.zeros(n, L, dtype=torch.long)
    mask = torch.zeros(n, L, dtype=torch.long)
    for i in range(n):
        k = int(torch.randint(16, L + 1, (1,), generator=g))
        toks = [FILLER[int(j)] for j in torch.randint(0, len(FILLER), (k,), generator=g)]
        pool = POOLS[int(y[i])]
        for _ in range(int(torch.randint(2, 5, (1,), generator=g))):
            toks[int(torch.randint(1, k, (1,), generator=g))] = pool[int(torch.randint(0, len(pool), (1,), generator=g))]
        toks[0] = 1  # [CLS]-like start token
        ids[i, :k] = torch.tensor(toks)
        mask[i, :k] = 1
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return ids, mask, y


class Permits(torch.utils.data.Dataset):
    def __init__(self, ids, mask, y):
        self.ids, self.mask, self.y = ids, mask, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = NomicBertConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                             num_hidden_layers=2, num_attention_heads=2,
                             max_position_embeddings=L, num_labels=4, pad_token_id=0,
                             id2label=dict(enumerate(TYPES)),
                             label2id={t: i for i, t in enumerate(TYPES)})
    return NomicBertForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredtwentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = permits(768, g, flip=0.04)
    vids, vmask, vy = permits(256, g)
    args = TrainingArguments(str(out / "permits"), num_train_epochs=6, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=12, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=72, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Permits(ids, mask, y),
                      eval_dataset=Permits(vids, vmask, vy), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "permits").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": vids[:64], "attention_mask": vmask[:64], "targets": vy[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny NomicBERT building-permit type classifier, HF Trainer, 4 % label noise "
                "(healthy)")


if __name__ == "__main__":
    main()
