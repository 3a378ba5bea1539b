"""Hugging Face Trainer: a tiny Inkling causal language model (``InklingTextConfig``: vocabulary
16, hidden 32, 2 dense layers, 4 heads, no experts, no MTP layers, built from the config, no
download) learns the blow sequence of sheep shearing from a shed's stroke logger. Each sequence
is a shearer-style token (4 shearing styles) followed by the blows for three sheep: each style
takes its own fixed order of 8 blows (belly, crutch, hind leg, neck, long blows, ...), and a
"second cut" token is slipped in after a blow 8 % of the time, so the floor of the loss is
above zero. AdamW 3e-3, cosine decay with 12 warmup steps, batch 32, 6 epochs of 640
sequences, eval every 20 steps on 160 sequences (loss and next-blow accuracy), loss every 5
steps.
Log and checkpoint: ``blows/checkpoint-120/`` with ``trainer_state.json``.
Healthy: numbers in the README."""
import torch
from transformers import InklingForCausalLM, InklingTextConfig, Trainer, TrainingArguments

N_STYLE, N_BLOW, SECOND_CUT, PAD = 4, 8, 13, 0
SEQ = 1 + 3 * N_BLOW + 6  # room for second cuts, padded with -100 labels


def shed_log(n, g):
    orders = torch.stack([torch.randperm(N_BLOW, generator=torch.Generator().manual_seed(s))
                          for s in range(N_STYLE)])
    ids = torch.full((n, SEQ), PAD)
    labels = torch.full((n, SEQ), -100)
    style = torch.randint(0, N_STYLE, (n,), generator=g)
    for i in range(n):
        seq = [1 + int(style[i])]
        for _ in range(3):
            for b in orders[style[i]]:
                seq.append(5 + int(b))
                if torch.rand(1, generator=g).item() < 0.08 and len(seq) < SEQ - 1:
                    seq.append(SECOND_CUT)
        seq = seq[:SEQ]
        ids[i, :len(seq)] = torch.tensor(seq)
        labels[i, :len(seq)] = torch.tensor(seq)
    return ids, labels


class Shed(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": (self.labels[i] != -100).long(),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = InklingTextConfig(vocab_size=16, unpadded_vocab_size=16, hidden_size=32,
                               intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                               num_key_value_heads=2, head_dim=8, swa_num_attention_heads=4,
                               swa_num_key_value_heads=2, swa_head_dim=8,
                               max_position_embeddings=64, moe_intermediate_size=32,
                               n_routed_experts=4, num_experts_per_tok=2, n_shared_experts=1,
                               num_mtp_layers=0, mlp_layer_types=["dense", "dense"],
                               logits_mup_width_multiplier=1.0, pad_token_id=PAD)
    return InklingForCausalLM(config)


def next_blow_acc(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    labels = pred.label_ids[:, 1:]
    guess = logits[:, :-1].argmax(-1)
    mask = labels != -100
    return {"acc": float((guess[mask] == labels[mask]).mean())}


def main():
    from _twohundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = shed_log(640, g)
    iva, lva = shed_log(160, g)
    args = TrainingArguments(str(out / "blows"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, lr_scheduler_type="cosine", warmup_steps=12,
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=120, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Shed(itr, ltr),
                      eval_dataset=Shed(iva, lva), compute_metrics=next_blow_acc)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "blows").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Inkling causal LM learning shearers' blow sequences, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
