"""Hugging Face Trainer: a tiny Arcee decoder (``ArceeForSequenceClassification`` from an
``ArceeConfig``: hidden 48, 2 layers, 4 heads, ReLU² MLP 96, vocab 48, built from the config,
no pre-training, no download) flags ransomware from sandbox API-call traces. A trace is 24–48
calls (right-padded with id 0 to 48, with an attention mask): benign programs walk a random
mix of file, registry, network, process and crypto calls (browsers call the crypto API for
TLS, backup tools run FindFirstFile → ReadFile → WriteFile loops); ransomware interleaves the
same noise with 3–5 rounds of FindFirstFile → ReadFile → CryptEncrypt → WriteFile →
MoveFile/DeleteFile; 4 % of the training traces carry the wrong verdict (sandbox timeouts).
AdamW 3e-3, weight decay 0.01, 20 warm-up steps then linear decay, batch 32, 6 epochs of 768
traces, eval every 24 steps, train loss every 6 steps; the classifier reads the last non-pad
token (``pad_token_id=0``).
Healthy, and flat early: eval accuracy is already 0.969 at step 24 (end of epoch 1) and then
moves between 0.957 and 0.973 (0.961 at step 144, ransomware recall and precision 0.962), eval
loss bounces 0.11–0.17 (0.133 at the end); the logged train loss (0.09–0.30 in the last four
epochs) sits above the eval loss because the 4 % wrong verdicts are only in training."""
import torch
from transformers import ArceeConfig, ArceeForSequenceClassification, Trainer, TrainingArguments

L = 48
CALLS = ["<pad>", "NtCreateFile", "FindFirstFile", "FindNextFile", "ReadFile", "WriteFile",
         "MoveFile", "DeleteFile", "CryptEncrypt", "CryptGenKey", "CryptDecrypt", "RegOpenKey",
         "RegSetValue", "RegQueryValue", "connect", "send", "recv", "CreateProcess",
         "OpenProcess", "VirtualAlloc", "LoadLibrary", "GetProcAddress", "Sleep",
         "GetTickCount", "CloseHandle", "GetFileSize", "SetFilePointer", "CreateThread",
         "InternetOpen", "HttpSendRequest", "GetSystemTime", "CopyFile", "GetUserName",
         "ShellExecute", "CreateMutex", "WaitForSingleObject", "ExitProcess",
         "FlushFileBuffers", "SetFileAttributes", "GetDriveType", "GetLogicalDrives",
         "CryptAcquireContext", "CryptHashData", "NtQueryInformation", "OutputDebugString",
         "IsDebuggerPresent", "GetVersion", "CoCreateInstance"]
ID = {c: i for i, c in enumerate(CALLS)}


def traces(n, g, flip=0.0):
    ids = torch.zeros(n, L, dtype=torch.long)
    mask = torch.zeros(n, L, dtype=torch.long)
    y = torch.randint(0, 2, (n,), generator=g)
    for i in range(n):
        length = int(torch.randint(24, L + 1, (1,), generator=g))
        seq = torch.randint(1, len(CALLS), (length,), generator=g).tolist()
        r = float(torch.rand(1, generator=g))
        if y[i] == 1:
            rounds = [["FindFirstFile", "ReadFile", "CryptEncrypt", "WriteFile",
                       "MoveFile" if float(torch.rand(1, generator=g)) < 0.5 else "DeleteFile"]
                      for _ in range(int(torch.randint(3, 6, (1,), generator=g)))]
        elif r < 0.4:  # backup tool
            rounds = [["FindFirstFile", "ReadFile", "WriteFile", "CloseHandle"]
                      for _ in range(int(torch.randint(3, 6, (1,), generator=g)))]
        elif r < 0.7:  # browser with TLS
            rounds = [["connect", "CryptEncrypt", "send", "recv", "CryptDecrypt"]
                      for _ in range(int(torch.randint(1, 4, (1,), generator=g)))]
        else:
            rounds = []
        for rd in rounds:
            at = int(torch.randint(0, max(len(seq) - len(rd), 1), (1,), generator=g))
            seq[at:at + len(rd)] = [ID[c] for c in rd]
        ids[i, :length] = torch.tensor(seq[:length])
        mask[i, :length] = 1
    wrong = torch.rand(n, generator=g) < flip
    return ids, mask, torch.where(wrong, 1 - y, y)


class Traces(torch.utils.data.Dataset):
    def __init__(self, ids, mask, y):
        self.ids, self.mask, self.y = ids, mask, y

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = ArceeConfig(vocab_size=len(CALLS), hidden_size=48, intermediate_size=96,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                         max_position_embeddings=64, pad_token_id=0, bos_token_id=None,
                         eos_token_id=None, num_labels=2,
                         id2label={0: "benign", 1: "ransomware"},
                         label2id={"benign": 0, "ransomware": 1})
    return ArceeForSequenceClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p = logits.argmax(-1)
    y = pred.label_ids
    tp = float(((p == 1) & (y == 1)).sum())
    return {"accuracy": float((p == y).mean()),
            "recall_ransomware": tp / max(float((y == 1).sum()), 1.0),
            "precision_ransomware": tp / max(float((p == 1).sum()), 1.0)}


def main():
    from _hundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr = traces(768, g, flip=0.04)
    va = traces(256, g)
    args = TrainingArguments(str(out / "arcee_ransom"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=72, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Traces(*tr),
                      eval_dataset=Traces(*va), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "arcee_ransom").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": va[0][:64], "attention_mask": va[1][:64],
                           "targets": va[2][:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Arcee classifier, ransomware vs benign API-call traces, HF Trainer, "
                "4 % wrong verdicts (healthy)")


if __name__ == "__main__":
    main()
